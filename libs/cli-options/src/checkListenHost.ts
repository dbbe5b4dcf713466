import { createServer } from "node:net";

/**
 * Fails with one line naming `flag` when nothing can listen on `host` (a name that does not
 * resolve, an address of no local interface), so a service reports a bad `--host` as a usage
 * error (exit 2) before it opens anything, instead of a gRPC bind stack trace. Binds a free TCP
 * port on the host and closes it at once.
 */
export async function checkListenHost(host: string, flag = "--host"): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, host, () => resolve());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const why =
      code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "the name does not resolve"
        : code === "EADDRNOTAVAIL"
          ? "no interface of this machine has that address"
          : code;
    throw new Error(`${flag} ${host}: cannot listen there (${why})`, { cause: error });
  } finally {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  }
}
