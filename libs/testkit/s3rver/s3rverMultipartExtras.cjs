// Adds to s3rver 3.7 the multipart calls it lacks (it answers NotImplemented / MethodNotAllowed),
// implemented over s3rver's own upload directory (<root>/<bucket>/._S3rver_uploads/<uploadId>/):
//   GET    /<bucket>?uploads[&prefix=…]            ListMultipartUploads (one page, no markers)
//   DELETE /<bucket>/<key>?uploadId=…              AbortMultipartUpload (404 NoSuchUpload if unknown)
//   PUT    /<bucket>/<key>?partNumber=…&uploadId=… 404 NoSuchUpload when the upload was aborted
//                                                   (s3rver would silently recreate its directory)
// Path-style requests only (our tests force path style). Without these, no client can abort a
// multipart upload on s3rver, so "no incomplete upload is left" could not be tested.
const fs = require("node:fs");
const path = require("node:path");
const S3Error = require("s3rver/lib/models/error");

function uploadsDir(server, bucket) {
  return server.store.getResourcePath(bucket, undefined, "uploads");
}

function splitPath(ctx) {
  const [bucket, ...rest] = ctx.path.replace(/^\//, "").split("/");
  return { bucket: decodeURIComponent(bucket ?? ""), key: rest.map(decodeURIComponent).join("/") };
}

function listUploads(server, bucket, prefix) {
  const dir = uploadsDir(server, bucket);
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const uploads = [];
  for (const uploadId of entries) {
    const keyFile = path.join(dir, uploadId, "key");
    if (!fs.existsSync(keyFile)) continue;
    const key = fs.readFileSync(keyFile, "utf8");
    if (!key.startsWith(prefix)) continue;
    uploads.push({ Key: key, UploadId: uploadId, Initiated: fs.statSync(keyFile).mtime.toISOString() });
  }
  uploads.sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : a.UploadId < b.UploadId ? -1 : 1));
  return uploads;
}

/** Koa middleware; install before s3rver's router. */
function multipartExtras(server) {
  return async function multipartExtrasMiddleware(ctx, next) {
    const { bucket, key } = splitPath(ctx);
    const query = ctx.query;
    if (ctx.method === "GET" && key === "" && "uploads" in query && bucket) {
      if (!(await server.store.getBucket(bucket)))
        throw new S3Error("NoSuchBucket", "The specified bucket does not exist");
      const prefix = typeof query.prefix === "string" ? query.prefix : "";
      const uploads = listUploads(server, bucket, prefix);
      ctx.body = {
        ListMultipartUploadsResult: {
          Bucket: bucket,
          KeyMarker: "",
          UploadIdMarker: "",
          Prefix: prefix,
          MaxUploads: 1000,
          IsTruncated: false,
          ...(uploads.length > 0 ? { Upload: uploads } : {}),
        },
      };
      return;
    }
    if (
      key !== "" &&
      typeof query.uploadId === "string" &&
      (ctx.method === "DELETE" || ctx.method === "PUT")
    ) {
      const dir = path.join(uploadsDir(server, bucket), path.basename(query.uploadId));
      const known = fs.existsSync(path.join(dir, "key"));
      if (!known) throw new S3Error("NoSuchUpload", "The specified upload does not exist.");
      if (ctx.method === "DELETE") {
        fs.rmSync(dir, { recursive: true, force: true });
        ctx.status = 204;
        return;
      }
    }
    return next();
  };
}

/** Inserts the middleware just before s3rver's router (its last middleware). */
function installMultipartExtras(server) {
  server.middleware.splice(server.middleware.length - 1, 0, multipartExtras(server));
}

module.exports = { installMultipartExtras };
