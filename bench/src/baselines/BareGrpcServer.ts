import { join } from "node:path";
import { BENCH_DIST } from "../core/paths.js";
import { ServiceProcess } from "../infra/ServiceProcess.js";

/** Starts bareGrpcServerMain in its own process; resolves with it and its "127.0.0.1:port". */
export async function startBareGrpcServer(): Promise<{ service: ServiceProcess; address: string }> {
  const script = join(BENCH_DIST, "baselines", "bareGrpcServerMain.js");
  const service = await ServiceProcess.start("bare-grpc", process.execPath, [script], {
    ready: async (output) => /ready \d+/.test(output),
  });
  const port = /ready (\d+)/.exec(service.output())![1];
  return { service, address: `127.0.0.1:${port}` };
}
