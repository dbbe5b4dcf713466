// Runs s3rver in its own process (started by ../src/S3Server.ts). Node >= 17 needs
// --openssl-legacy-provider for s3rver's list pagination (it uses MD5-based continuation tokens).
const S3rver = require("s3rver");
const { installMultipartExtras } = require("./s3rverMultipartExtras.cjs");

const [port, directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: "127.0.0.1",
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
installMultipartExtras(server);
server.run().then(
  () => process.stdout.write("ready\n"),
  (error) => {
    process.stderr.write(String(error) + "\n");
    process.exit(1);
  },
);
process.on("SIGTERM", () => server.close().finally(() => process.exit(0)));
// S3Server.ts holds our stdin and sets S3RVER_EXIT_WITH_PARENT: when it goes away without
// stopping us, stop and clean up. (Not by default: run by hand in the background, stdin is
// /dev/null or a terminal.)
if (process.env.S3RVER_EXIT_WITH_PARENT === "1") {
  process.stdin.on("end", () =>
    server.close().finally(() => {
      require("node:fs").rmSync(directory, { recursive: true, force: true });
      process.exit(0);
    }),
  );
  process.stdin.resume();
}
