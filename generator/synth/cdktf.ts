import { createRequire } from 'node:module'
import type * as Cdktf from 'cdktf'
import type * as CloudwatchLogGroupModule from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js'
import type * as DataAwsCallerIdentityModule from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js'
import type * as DynamodbTableModule from '@cdktf/provider-aws/lib/dynamodb-table/index.js'
import type * as IamPolicyModule from '@cdktf/provider-aws/lib/iam-policy/index.js'
import type * as IamRolePolicyAttachmentModule from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js'
import type * as IamRolePolicyModule from '@cdktf/provider-aws/lib/iam-role-policy/index.js'
import type * as IamRoleModule from '@cdktf/provider-aws/lib/iam-role/index.js'
import type * as LambdaEventSourceMappingModule from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js'
import type * as LambdaFunctionEventInvokeConfigModule from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js'
import type * as LambdaFunctionModule from '@cdktf/provider-aws/lib/lambda-function/index.js'
import type * as LambdaPermissionModule from '@cdktf/provider-aws/lib/lambda-permission/index.js'
import type * as ProviderModule from '@cdktf/provider-aws/lib/provider/index.js'
import type * as S3BucketLifecycleConfigurationModule from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js'
import type * as S3BucketPublicAccessBlockModule from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js'
import type * as S3BucketServerSideEncryptionConfigurationModule from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js'
import type * as S3BucketModule from '@cdktf/provider-aws/lib/s3-bucket/index.js'
import type * as SchedulerScheduleGroupModule from '@cdktf/provider-aws/lib/scheduler-schedule-group/index.js'
import type * as SchedulerScheduleModule from '@cdktf/provider-aws/lib/scheduler-schedule/index.js'
import type * as SnsTopicSubscriptionModule from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js'
import type * as SnsTopicModule from '@cdktf/provider-aws/lib/sns-topic/index.js'
import type * as SqsQueueRedrivePolicyModule from '@cdktf/provider-aws/lib/sqs-queue-redrive-policy/index.js'
import type * as SqsQueueModule from '@cdktf/provider-aws/lib/sqs-queue/index.js'

/**
 * cdktf's and the AWS provider's values, loaded with `require`: an ESM `import` of these CommonJS
 * modules first has Node scan each for its named exports (cjs-module-lexer), which made loading
 * them take 213 instead of 133 ms (bench/README.md). Every synth module imports cdktf through this
 * one; each export is the class and, under the same name, its instance type.
 */
const load = createRequire(import.meta.url)

export const { App, LocalBackend, S3Backend, TerraformOutput, TerraformStack } = load('cdktf') as typeof Cdktf
export type App = Cdktf.App
export type LocalBackend = Cdktf.LocalBackend
export type S3Backend = Cdktf.S3Backend
export type TerraformOutput = Cdktf.TerraformOutput
export type TerraformStack = Cdktf.TerraformStack

export const { LambdaFunctionEventInvokeConfig } = load(
  '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js',
) as typeof LambdaFunctionEventInvokeConfigModule
export type LambdaFunctionEventInvokeConfig = LambdaFunctionEventInvokeConfigModule.LambdaFunctionEventInvokeConfig

export const { S3BucketLifecycleConfiguration } = load(
  '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js',
) as typeof S3BucketLifecycleConfigurationModule
export type S3BucketLifecycleConfiguration = S3BucketLifecycleConfigurationModule.S3BucketLifecycleConfiguration

export const { S3BucketServerSideEncryptionConfigurationA } = load(
  '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js',
) as typeof S3BucketServerSideEncryptionConfigurationModule
export type S3BucketServerSideEncryptionConfigurationA = S3BucketServerSideEncryptionConfigurationModule.S3BucketServerSideEncryptionConfigurationA

export const { CloudwatchLogGroup } = load('@cdktf/provider-aws/lib/cloudwatch-log-group/index.js') as typeof CloudwatchLogGroupModule
export type CloudwatchLogGroup = CloudwatchLogGroupModule.CloudwatchLogGroup

export const { DataAwsCallerIdentity } = load('@cdktf/provider-aws/lib/data-aws-caller-identity/index.js') as typeof DataAwsCallerIdentityModule
export type DataAwsCallerIdentity = DataAwsCallerIdentityModule.DataAwsCallerIdentity

export const { DynamodbTable } = load('@cdktf/provider-aws/lib/dynamodb-table/index.js') as typeof DynamodbTableModule
export type DynamodbTable = DynamodbTableModule.DynamodbTable

export const { IamPolicy } = load('@cdktf/provider-aws/lib/iam-policy/index.js') as typeof IamPolicyModule
export type IamPolicy = IamPolicyModule.IamPolicy

export const { IamRolePolicyAttachment } = load('@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js') as typeof IamRolePolicyAttachmentModule
export type IamRolePolicyAttachment = IamRolePolicyAttachmentModule.IamRolePolicyAttachment

export const { IamRolePolicy } = load('@cdktf/provider-aws/lib/iam-role-policy/index.js') as typeof IamRolePolicyModule
export type IamRolePolicy = IamRolePolicyModule.IamRolePolicy

export const { IamRole } = load('@cdktf/provider-aws/lib/iam-role/index.js') as typeof IamRoleModule
export type IamRole = IamRoleModule.IamRole

export const { LambdaEventSourceMapping } = load('@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js') as typeof LambdaEventSourceMappingModule
export type LambdaEventSourceMapping = LambdaEventSourceMappingModule.LambdaEventSourceMapping

export const { LambdaFunction } = load('@cdktf/provider-aws/lib/lambda-function/index.js') as typeof LambdaFunctionModule
export type LambdaFunction = LambdaFunctionModule.LambdaFunction

export const { LambdaPermission } = load('@cdktf/provider-aws/lib/lambda-permission/index.js') as typeof LambdaPermissionModule
export type LambdaPermission = LambdaPermissionModule.LambdaPermission

export const { AwsProvider } = load('@cdktf/provider-aws/lib/provider/index.js') as typeof ProviderModule
export type AwsProvider = ProviderModule.AwsProvider

export const { S3BucketPublicAccessBlock } = load('@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js') as typeof S3BucketPublicAccessBlockModule
export type S3BucketPublicAccessBlock = S3BucketPublicAccessBlockModule.S3BucketPublicAccessBlock

export const { S3Bucket } = load('@cdktf/provider-aws/lib/s3-bucket/index.js') as typeof S3BucketModule
export type S3Bucket = S3BucketModule.S3Bucket

export const { SchedulerScheduleGroup } = load('@cdktf/provider-aws/lib/scheduler-schedule-group/index.js') as typeof SchedulerScheduleGroupModule
export type SchedulerScheduleGroup = SchedulerScheduleGroupModule.SchedulerScheduleGroup

export const { SchedulerSchedule } = load('@cdktf/provider-aws/lib/scheduler-schedule/index.js') as typeof SchedulerScheduleModule
export type SchedulerSchedule = SchedulerScheduleModule.SchedulerSchedule

export const { SnsTopicSubscription } = load('@cdktf/provider-aws/lib/sns-topic-subscription/index.js') as typeof SnsTopicSubscriptionModule
export type SnsTopicSubscription = SnsTopicSubscriptionModule.SnsTopicSubscription

export const { SnsTopic } = load('@cdktf/provider-aws/lib/sns-topic/index.js') as typeof SnsTopicModule
export type SnsTopic = SnsTopicModule.SnsTopic

export const { SqsQueueRedrivePolicy } = load('@cdktf/provider-aws/lib/sqs-queue-redrive-policy/index.js') as typeof SqsQueueRedrivePolicyModule
export type SqsQueueRedrivePolicy = SqsQueueRedrivePolicyModule.SqsQueueRedrivePolicy

export const { SqsQueue } = load('@cdktf/provider-aws/lib/sqs-queue/index.js') as typeof SqsQueueModule
export type SqsQueue = SqsQueueModule.SqsQueue
