using Amazon.Runtime;
using Amazon.S3;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.Tests.ObjectStorage;

/// <summary>
/// The contract against a real S3-compatible server at <c>WEARIT_TEST_S3_URL</c> (fauxqs in CI, LocalStack or AWS
/// elsewhere); every test reports itself skipped, with the reason, when the variable is not set.
/// </summary>
public sealed class S3ObjectStoreTests : ObjectStoreContractTests
{
    private const string Bucket = "wearit-contract-tests";
    private static readonly string? ServiceUrl = Environment.GetEnvironmentVariable("WEARIT_TEST_S3_URL");

    private AmazonS3Client? _client;
    private S3ObjectStore? _store;
    private readonly HttpClient _http = new();

    protected override IObjectStore Store => _store!;

    protected override HttpClient Http => _http;

    /// <summary>fauxqs serves presigned URLs without checking them; CI says so through this variable.</summary>
    protected override string? SignatureCheckingMissingReason =>
        Environment.GetEnvironmentVariable("WEARIT_TEST_S3_CHECKS_SIGNATURES") == "false"
            ? "the S3 server at WEARIT_TEST_S3_URL does not verify presigned signatures (fauxqs); LocalStack with S3_SKIP_SIGNATURE_VALIDATION=0 or AWS does"
            : null;

    public override async ValueTask InitializeAsync()
    {
        Assert.SkipWhen(string.IsNullOrWhiteSpace(ServiceUrl),
            "WEARIT_TEST_S3_URL is not set; .ci/run starts fauxqs and sets it, or point it at LocalStack.");
        _client = new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config
        {
            ServiceURL = ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        });
        _store = new S3ObjectStore(_client, Bucket);
        await _store.EnsureReadyAsync(Cancellation);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DeleteByPrefixAsync(Prefix, CancellationToken.None);
        }

        _client?.Dispose();
        _http.Dispose();
    }
}
