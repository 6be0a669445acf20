"""Invokes task-gen dev with boto3, a client task-gen did not write.

Reads {"endpoint": ..., "region": ..., "calls": [{...Invoke parameters...}]} on stdin and prints one
JSON answer per call: what boto3 returned (the payload as text), or the error it raised.
No retries and a bounded read timeout: a request dev leaves unanswered is an error, not a hang.
"""
import base64
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ReadTimeoutError

request = json.load(sys.stdin)
client = boto3.client(
    "lambda",
    endpoint_url=request["endpoint"],
    region_name=request.get("region", "us-east-1"),
    aws_access_key_id="local",
    aws_secret_access_key="local",
    config=Config(retries={"total_max_attempts": 1}, read_timeout=request.get("readTimeout", 20), connect_timeout=5),
)

answers = []
for call in request["calls"]:
    params = dict(call)
    if "Payload" in params and not isinstance(params["Payload"], str):
        params["Payload"] = json.dumps(params["Payload"])
    try:
        out = client.invoke(**params)
        answer = {
            "StatusCode": out["StatusCode"],
            "FunctionError": out.get("FunctionError"),
            "ExecutedVersion": out.get("ExecutedVersion"),
            "Payload": out["Payload"].read().decode("utf-8"),
        }
        if "LogResult" in out:
            answer["Log"] = base64.b64decode(out["LogResult"]).decode("utf-8", errors="replace")
        answers.append(answer)
    except ClientError as error:
        answers.append({
            "error": {
                "Code": error.response["Error"].get("Code"),
                "Message": error.response["Error"].get("Message"),
                "HTTPStatusCode": error.response["ResponseMetadata"].get("HTTPStatusCode"),
            }
        })
    except ReadTimeoutError as error:
        answers.append({"error": {"Code": "ReadTimeout", "Message": str(error)}})

print(json.dumps(answers))
