using System.Collections.Frozen;

namespace Peerbucket.S3.Errors;

/// <summary>The one table of S3 errors: code -> HTTP status and default message.</summary>
internal static class S3Errors
{
    private static readonly FrozenDictionary<S3ErrorCode, (int Status, string Message)> Table =
        new Dictionary<S3ErrorCode, (int, string)>
        {
            [S3ErrorCode.AccessDenied] = (403, "Access Denied"),
            [S3ErrorCode.AuthorizationHeaderMalformed] = (400, "The authorization header is malformed."),
            [S3ErrorCode.AuthorizationQueryParametersError] = (400, "Error parsing the X-Amz-Credential parameter."),
            [S3ErrorCode.BadDigest] = (400, "The Content-MD5 or checksum you specified did not match what we received."),
            [S3ErrorCode.BucketAlreadyExists] = (409, "The requested bucket name is not available."),
            [S3ErrorCode.BucketAlreadyOwnedByYou] = (409, "Your previous request to create the named bucket succeeded and you already own it."),
            [S3ErrorCode.BucketNotEmpty] = (409, "The bucket you tried to delete is not empty."),
            [S3ErrorCode.EntityTooLarge] = (400, "Your proposed upload exceeds the maximum allowed object size."),
            [S3ErrorCode.EntityTooSmall] = (400, "Your proposed upload is smaller than the minimum allowed object size."),
            [S3ErrorCode.ExpiredToken] = (400, "The provided token has expired."),
            [S3ErrorCode.IncompleteBody] = (400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
            [S3ErrorCode.SlowDown] = (503, "Please reduce your request rate."),
            [S3ErrorCode.InternalError] = (500, "We encountered an internal error. Please try again."),
            [S3ErrorCode.InvalidAccessKeyId] = (403, "The AWS access key Id you provided does not exist in our records."),
            [S3ErrorCode.InvalidArgument] = (400, "Invalid Argument"),
            [S3ErrorCode.InvalidBucketName] = (400, "The specified bucket is not valid."),
            [S3ErrorCode.InvalidDigest] = (400, "The Content-MD5 you specified is not valid."),
            [S3ErrorCode.InvalidPart] = (400, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag."),
            [S3ErrorCode.InvalidPartOrder] = (400, "The list of parts was not in ascending order. The parts list must be specified in order by part number."),
            [S3ErrorCode.InvalidRange] = (416, "The requested range is not satisfiable"),
            [S3ErrorCode.InvalidRequest] = (400, "Invalid Request"),
            [S3ErrorCode.InvalidStorageClass] = (400, "The storage class you specified is not valid."),
            [S3ErrorCode.InvalidURI] = (400, "Couldn't parse the specified URI."),
            [S3ErrorCode.KeyTooLongError] = (400, "Your key is too long."),
            [S3ErrorCode.MalformedACLError] = (400, "The XML you provided was not well-formed or did not validate against our published schema."),
            [S3ErrorCode.MalformedPolicy] = (400, "Policies must be valid JSON and the first byte must be '{'"),
            [S3ErrorCode.MalformedXML] = (400, "The XML you provided was not well-formed or did not validate against our published schema."),
            [S3ErrorCode.MethodNotAllowed] = (405, "The specified method is not allowed against this resource."),
            [S3ErrorCode.MissingContentLength] = (411, "You must provide the Content-Length HTTP header."),
            [S3ErrorCode.MissingSecurityHeader] = (400, "Your request is missing a required header."),
            [S3ErrorCode.NoSuchBucket] = (404, "The specified bucket does not exist"),
            [S3ErrorCode.NoSuchBucketPolicy] = (404, "The bucket policy does not exist"),
            [S3ErrorCode.NoSuchKey] = (404, "The specified key does not exist."),
            [S3ErrorCode.NoSuchUpload] = (404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."),
            [S3ErrorCode.NotImplemented] = (501, "A header or query you provided implies functionality that is not implemented."),
            [S3ErrorCode.NotModified] = (304, "Not Modified"),
            [S3ErrorCode.PreconditionFailed] = (412, "At least one of the preconditions you specified did not hold."),
            [S3ErrorCode.RequestTimeTooSkewed] = (403, "The difference between the request time and the current time is too large."),
            [S3ErrorCode.SignatureDoesNotMatch] = (403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
            [S3ErrorCode.XAmzContentSHA256Mismatch] = (400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
            [S3ErrorCode.InvalidTag] = (400, "The tag provided was not a valid tag."),
            [S3ErrorCode.NoSuchTagSet] = (404, "The TagSet does not exist"),
            [S3ErrorCode.NoSuchCORSConfiguration] = (404, "The CORS configuration does not exist"),
            [S3ErrorCode.NoSuchWebsiteConfiguration] = (404, "The specified bucket does not have a website configuration"),
            [S3ErrorCode.NoSuchLifecycleConfiguration] = (404, "The lifecycle configuration does not exist"),
            [S3ErrorCode.ReplicationConfigurationNotFoundError] = (404, "The replication configuration was not found"),
            [S3ErrorCode.ServerSideEncryptionConfigurationNotFoundError] = (404, "The server side encryption configuration was not found"),
            [S3ErrorCode.ObjectLockConfigurationNotFoundError] = (404, "Object Lock configuration does not exist for this bucket"),
            [S3ErrorCode.OwnershipControlsNotFoundError] = (404, "The bucket ownership controls were not found"),
            [S3ErrorCode.NoSuchPublicAccessBlockConfiguration] = (404, "The public access block configuration was not found"),
            [S3ErrorCode.BadRequest] = (400, "Bad Request"),
            [S3ErrorCode.AccessForbidden] = (403, "CORSResponse: This CORS request is not allowed. This is usually because the evaluation of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."),
            [S3ErrorCode.NoSuchVersion] = (404, "The specified version does not exist."),
            [S3ErrorCode.IllegalVersioningConfigurationException] = (400, "The Versioning element must be specified"),
            [S3ErrorCode.InvalidBucketState] = (409, "The request is not valid with the current state of the bucket."),
            [S3ErrorCode.InvalidRetentionPeriod] = (400, "Default retention period must be a positive integer value."),
            [S3ErrorCode.UnresolvableGrantByEmailAddress] = (400, "The e-mail address you provided does not match any account on record."),
            [S3ErrorCode.AccessControlListNotSupported] = (400, "The bucket does not allow ACLs"),
            [S3ErrorCode.InvalidBucketAclWithObjectOwnership] = (400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
            [S3ErrorCode.MalformedPOSTRequest] = (400, "The body of your POST request is not well-formed multipart/form-data."),
            [S3ErrorCode.InvalidPolicyDocument] = (400, "The content of the form does not meet the conditions specified in the policy document."),
            [S3ErrorCode.NoSuchObjectLockConfiguration] = (404, "The specified object does not have a ObjectLock configuration"),
        }.ToFrozenDictionary();

    public static int StatusOf(S3ErrorCode code) => Table[code].Status;

    public static string MessageOf(S3ErrorCode code) => Table[code].Message;
}
