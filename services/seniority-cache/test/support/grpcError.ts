import { ClientError, Status } from "nice-grpc";

/** The status name and details `call` fails with; throws if it succeeds or fails otherwise. */
export async function grpcError(call: Promise<unknown>): Promise<{ code: string; details: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientError) return { code: Status[error.code], details: error.details };
    throw error;
  }
  throw new Error("expected the call to fail");
}
