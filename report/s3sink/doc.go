// Package s3sink uploads hedgeflow reports to Amazon S3 or to an
// S3-compatible store (MinIO, Ceph, ...), through aws-sdk-go-v2.
//
// Credentials and region come from the standard AWS configuration: the
// environment (AWS_ACCESS_KEY_ID, AWS_REGION, ...), the shared config and
// credentials files, or the role of the machine (EC2 instance profile, EKS
// IAM role for service accounts, ECS task role). hedgeflow never reads or
// prints them itself. It needs s3:PutObject on the bucket, nothing more.
//
// Reports are also kept in the JetStream object store and on disk: this
// sink is optional and off unless hedgeflow run is given --s3-bucket.
package s3sink
