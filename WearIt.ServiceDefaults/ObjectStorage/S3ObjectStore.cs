using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>The object store on an S3 bucket (LocalStack in containers mode, AWS S3 in production).</summary>
public sealed class S3ObjectStore(IAmazonS3 s3, string bucket) : IObjectStore
{
    private const int DeleteBatchSize = 1000;

    /// <summary>The bucket this store writes to.</summary>
    public string Bucket { get; } = bucket;

    /// <inheritdoc />
    public async Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        if (await BucketExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Another instance created it between the check and the create: the bucket is there, which is all we need.
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = content,
            ContentType = contentType,
            AutoCloseStream = false,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        try
        {
            var response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
            var info = new ObjectInfo(key, response.ContentLength, response.Headers.ContentType, ToOffset(response.LastModified));
            return new StoredObject(info, response.ResponseStream);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        try
        {
            var response = await s3.GetObjectMetadataAsync(Bucket, key, cancellationToken);
            return new ObjectInfo(key, response.ContentLength, response.Headers.ContentType, ToOffset(response.LastModified));
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        await s3.DeleteObjectAsync(Bucket, key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> DeleteByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        var deleted = 0;
        var batch = new List<KeyVersion>(DeleteBatchSize);
        await foreach (var info in ListAsync(prefix, cancellationToken))
        {
            batch.Add(new KeyVersion { Key = info.Key });
            if (batch.Count == DeleteBatchSize)
            {
                deleted += await DeleteBatchAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            deleted += await DeleteBatchAsync(batch, cancellationToken);
        }

        return deleted;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                // NOTE: S3 listings carry no content type; callers that need it ask HeadAsync.
                yield return new ObjectInfo(item.Key, item.Size ?? 0, "", ToOffset(item.LastModified));
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
    }

    /// <inheritdoc />
    public Task<Uri> GetSignedGetUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        PresignAsync(new GetPreSignedUrlRequest { Verb = HttpVerb.GET }, key, lifetime);

    /// <inheritdoc />
    public Task<Uri> GetSignedPutUrlAsync(string key, string contentType, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        PresignAsync(new GetPreSignedUrlRequest { Verb = HttpVerb.PUT, ContentType = contentType }, key, lifetime);

    /// <inheritdoc />
    public async Task CheckReachableAsync(CancellationToken cancellationToken = default)
    {
        if (!await BucketExistsAsync(cancellationToken))
        {
            throw new InvalidOperationException($"The bucket '{Bucket}' does not exist.");
        }
    }

    private async Task<bool> BucketExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = Bucket }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<int> DeleteBatchAsync(List<KeyVersion> keys, CancellationToken cancellationToken)
    {
        var response = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = [.. keys] }, cancellationToken);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new InvalidOperationException(
                $"S3 refused to delete {errors.Count} object(s), the first '{errors[0].Key}': {errors[0].Code}.");
        }

        return keys.Count;
    }

    private async Task<Uri> PresignAsync(GetPreSignedUrlRequest request, string key, TimeSpan lifetime)
    {
        ObjectKey.Validate(key);
        request.BucketName = Bucket;
        request.Key = key;
        request.Expires = DateTime.UtcNow.Add(lifetime);
        // The SDK signs https URLs unless told otherwise; a LocalStack or test endpoint speaks plain http.
        request.Protocol = s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true
            ? Protocol.HTTP
            : Protocol.HTTPS;
        return new Uri(await s3.GetPreSignedURLAsync(request));
    }

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } time ? new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;
}
