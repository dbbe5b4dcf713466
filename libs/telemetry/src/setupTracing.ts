import { trace, type Tracer } from "@opentelemetry/api";
import { BatchSpanProcessor, ConsoleSpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

/**
 * OpenTelemetry tracing. Spans are always created through the API (cheap no-ops without a
 * provider); a provider is registered only when SENIORITY_TRACE=console, which prints spans to
 * stdout. Exporting to a collector is left to the deployment (OTLP exporter not bundled).
 */
export function setupTracing(service: string): { tracer: Tracer; shutdown: () => Promise<void> } {
  if (process.env["SENIORITY_TRACE"] !== "console") {
    return { tracer: trace.getTracer(service), shutdown: async () => {} };
  }
  const provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
  });
  provider.register();
  return { tracer: trace.getTracer(service), shutdown: () => provider.shutdown() };
}
