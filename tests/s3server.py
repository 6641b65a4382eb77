"""A real S3-protocol server on loopback for the S3 storage tests (moto's server, over HTTP)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

BUCKET = "kurasi-test"
REGION = "ap-northeast-1"


@contextmanager
def s3_server() -> Iterator[str]:
    """Start the server on a free port; yields its endpoint URL. Credentials are dummies."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "kurasi-test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "kurasi-test-secret")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        yield endpoint
    finally:
        server.stop()


def create_bucket(endpoint: str, bucket: str = BUCKET) -> None:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    # moto keeps its state per process, across servers: the bucket may be there already.
    with suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
