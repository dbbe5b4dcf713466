import { connect } from "node:net";

/** Resolves true when something accepts TCP connections at host:port. */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, host);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}
