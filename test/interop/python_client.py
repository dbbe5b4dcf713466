#!/usr/bin/env python3
"""A Python client of the seniority model, built from docs/spec.md's proto with nothing generated.

Usage: python_client.py HOST:PORT [--descriptor PATH] [--requests FILE] [--timeout SECONDS]
                        [--tls-ca PEM [--tls-cert PEM --tls-key PEM] [--tls-server-name NAME]]

It stands for the existing Python clients of the model: it calls /SeniorityModel/InferSeniority
with messages built at run time from the FileDescriptorSet that `buf build` writes
(libs/proto/descriptor.binpb by default), so it works unchanged against the model simulator and
the caching proxy. Requests come from --requests (a JSON list of {uuid, company, title}) or are
docs/spec.md's example titles. With --tls-ca it dials over TLS (mTLS with --tls-cert/--tls-key),
as a Python client of a TLS-only model or proxy would. Prints the answers as one JSON list of {uuid, seniority} on stdout.

Needs Debian's python3-grpcio and python3-protobuf (apt-get install -y python3-grpcio python3-protobuf).
Exit codes: 0 answered, 1 the call failed (gRPC status on stderr), 2 usage, 3 missing packages.
"""
import argparse
import json
import os
import sys

try:
    import grpc
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
except ImportError as error:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        f"python_client.py: {error}; install with: apt-get install -y python3-grpcio python3-protobuf\n"
    )
    sys.exit(3)

METHOD_PATH = "/SeniorityModel/InferSeniority"
PROTO_FILE = "seniority_model.proto"
DEFAULT_DESCRIPTOR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "proto", "descriptor.binpb"
)
SPEC_TITLES = [
    "Accounting Intern", "Software Engineer Trainee", "Paralegal",
    "Accounts Receivable Bookkeeper", "Junior Software QA Engineer", "Legal Adviser",
    "Senior Tax Accountant", "Lead Electrical Engineer", "Attorney",
    "Account Manager", "Superintendent Engineer", "Lead Lawyer",
    "Chief of Accountants", "VP Network Engineering", "Head of Legal",
    "Managing Director Treasury", "Director of Engineering Backend Systems", "Attorney Partner",
    "CFO", "COO", "CEO",
]


def message_classes(descriptor_path):
    """(request batch class, response batch class) from the descriptor set's seniority_model.proto."""
    file_set = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_path, "rb") as handle:
        file_set.ParseFromString(handle.read())
    files = [f for f in file_set.file if f.name == PROTO_FILE]
    if not files:
        raise SystemExit(f"python_client.py: {PROTO_FILE} not in {descriptor_path}")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(files[0])  # the upstream contract imports nothing
    request = pool.FindMessageTypeByName("SeniorityRequestBatch")
    response = pool.FindMessageTypeByName("SeniorityResponseBatch")
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(request), message_factory.GetMessageClass(response)
    factory = message_factory.MessageFactory(pool)
    return factory.GetPrototype(request), factory.GetPrototype(response)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def open_channel(args):
    """A plaintext channel, or a TLS one (mTLS with a client certificate) when --tls-ca is given."""
    if not args.tls_ca:
        return grpc.insecure_channel(args.target)
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.tls_ca),
        private_key=read(args.tls_key) if args.tls_key else None,
        certificate_chain=read(args.tls_cert) if args.tls_cert else None,
    )
    options = [("grpc.ssl_target_name_override", args.tls_server_name)] if args.tls_server_name else []
    return grpc.secure_channel(args.target, credentials, options=options)


def main():
    parser = argparse.ArgumentParser(description="Call /SeniorityModel/InferSeniority and print JSON answers.")
    parser.add_argument("target", help="HOST:PORT of the model or the proxy")
    parser.add_argument("--descriptor", default=DEFAULT_DESCRIPTOR, help="FileDescriptorSet written by buf build")
    parser.add_argument("--requests", help="JSON file: a list of {uuid, company, title}")
    parser.add_argument("--timeout", type=float, default=30.0, help="deadline in seconds")
    parser.add_argument("--tls-ca", help="PEM CA of the server's certificate: dial over TLS")
    parser.add_argument("--tls-cert", help="PEM client certificate (mTLS, with --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--tls-server-name", help="name the server's certificate carries")
    args = parser.parse_args()
    if (args.tls_cert is None) != (args.tls_key is None) or (args.tls_cert and not args.tls_ca):
        parser.error("--tls-cert and --tls-key go together, with --tls-ca")

    request_class, response_class = message_classes(args.descriptor)
    if args.requests:
        with open(args.requests, encoding="utf-8") as handle:
            items = json.load(handle)
    else:
        items = [{"uuid": i + 1, "company": "Acme Corp", "title": t} for i, t in enumerate(SPEC_TITLES)]

    request = request_class()
    for item in items:
        request.batch.add(uuid=item["uuid"], company=item["company"], title=item["title"])

    with open_channel(args) as channel:
        infer = channel.unary_unary(
            METHOD_PATH,
            request_serializer=lambda message: message.SerializeToString(),
            response_deserializer=response_class.FromString,
        )
        try:
            response = infer(request, timeout=args.timeout)
        except grpc.RpcError as error:
            sys.stderr.write(f"python_client.py: {error.code().name}: {error.details()}\n")
            return 1
    print(json.dumps([{"uuid": r.uuid, "seniority": r.seniority} for r in response.batch]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
