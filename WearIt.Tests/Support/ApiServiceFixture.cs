using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WearIt.ApiService;
using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Tests.Support;

/// <summary>One in-memory ApiService (embedded mode) shared by a test class; TryonService is a recording double.</summary>
public class ApiServiceFixture : IAsyncLifetime
{
    public ApiServiceFixture() : this(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit"))
    {
    }

    protected ApiServiceFixture(EmbeddedServiceFactory<ApiServiceAssembly> factory)
    {
        Factory = factory;
        Factory.ServiceOverrides.Add(services => services.AddSingleton<ITryonServiceClient>(Tryon));
        Factory.ServiceOverrides.Add(services => services.AddSingleton<WearIt.ApiService.Features.Bodies.IBodyAnalysisClient>(Analysis));
        Factory.ServiceOverrides.Add(services => services.AddSingleton<WearIt.ApiService.Features.Wardrobe.IGarmentCheckClient>(GarmentCheck));
    }

    public EmbeddedServiceFactory<ApiServiceAssembly> Factory { get; }

    public RecordingTryonService Tryon { get; } = new();

    public ScriptedBodyAnalysis Analysis { get; } = new();

    public ScriptedGarmentCheck GarmentCheck { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public virtual ValueTask InitializeAsync()
    {
        Http = Factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
    }

    public string ServiceToken() => Factory.Services.GetRequiredService<ServiceTokenIssuer>().CreateToken("tryonservice");

    /// <summary>
    /// A fresh, valid sign-up, its address verified with the mailed code unless <paramref name="verify"/> is false;
    /// returns the new account's id, email, password and tokens.
    /// </summary>
    public async Task<TestAccount> SignupAsync(string? referralCode = null, string password = "correct horse battery", string? email = null, bool verify = true)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        using var response = await Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email, password, name = "Test User", referralCode }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var tokens = body.GetProperty("tokens");
        if (verify)
        {
            await Mailbox.VerifyEmailAsync(Http, Factory.MailDirectory, email.Trim().ToLowerInvariant(), TestContext.Current.CancellationToken);
            // A login's tokens carry what the verification gave (an admin address's role).
            using var login = await Http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }, TestContext.Current.CancellationToken);
            tokens = await ReadAsync(login, HttpStatusCode.OK);
        }

        return new TestAccount(
            body.GetProperty("user").GetProperty("id").GetGuid(),
            email,
            password,
            body.GetProperty("user").GetProperty("referralCode").GetString()!,
            tokens.GetProperty("access_token").GetString()!,
            tokens.GetProperty("refresh_token").GetString()!);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Posts a multipart form with the image as field <c>image</c> plus any text fields.</summary>
    public async Task<HttpResponseMessage> UploadAsync(string path, string token, byte[] image, string fileName = "photo.jpg",
        string contentType = "image/jpeg", IReadOnlyDictionary<string, string>? fields = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "image", fileName);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), name);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Reads a JSON response, failing with its body when the status is not the expected one.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>Every object key stored under a prefix.</summary>
    public async Task<List<string>> StoredKeysAsync(string prefix)
    {
        var objects = Factory.Services.GetRequiredService<WearIt.ServiceDefaults.ObjectStorage.IObjectStore>();
        var keys = new List<string>();
        await foreach (var info in objects.ListAsync(prefix, TestContext.Current.CancellationToken))
        {
            keys.Add(info.Key);
        }

        return keys;
    }

    /// <summary>Polls a body until its analysis is over (status no longer <c>processing</c>).</summary>
    public Task<JsonElement> WaitForBodyCheckedAsync(TestAccount account, Guid bodyId) =>
        PollBodyAsync(() => SendAsync(HttpMethod.Get, $"/api/v1/bodies/{bodyId}", account.AccessToken), bodyId, TestContext.Current.CancellationToken);

    /// <summary>
    /// Polls a body through <paramref name="api"/> (signed in as its owner) until TryonService's analysis of it is in:
    /// the upload answers before it is, and nothing pushes the outcome.
    /// </summary>
    public static Task<JsonElement> WaitForBodyCheckedAsync(HttpClient api, Guid bodyId, CancellationToken token) =>
        PollBodyAsync(() => api.GetAsync($"/api/v1/bodies/{bodyId}", token), bodyId, token);

    /// <summary>Reads the body every 100 ms, for up to a minute, until its status is no longer <c>processing</c>.</summary>
    private static async Task<JsonElement> PollBodyAsync(Func<Task<HttpResponseMessage>> read, Guid bodyId, CancellationToken token)
    {
        for (var poll = 0; poll < 600; poll++)
        {
            using var response = await read();
            var body = await ReadAsync(response, HttpStatusCode.OK);
            if (body.GetProperty("status").GetString() != "processing")
            {
                return body;
            }

            await Task.Delay(100, token);
        }

        throw new Xunit.Sdk.XunitException($"Body {bodyId} was still being checked after a minute.");
    }

    public async Task<int> BalanceAsync(TestAccount account)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/v1/users/me/credits", account.AccessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("balance").GetInt32();
    }
}

/// <summary>An ApiService with the seeded catalog and one admin email.</summary>
public sealed class SeededApiServiceFixture() : ApiServiceFixture(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit")
{
    Settings = { ["WearIt:Catalog:Seed"] = "true", ["WearIt:AdminEmails:0"] = AdminEmail },
})
{
    public const string AdminEmail = "admin@wearit.test";
}

/// <summary>An ApiService whose clock is a fake one, started at the real now (so the tokens it issues stay valid).</summary>
public sealed class FakeClockApiServiceFixture : ApiServiceFixture
{
    public FakeClockApiServiceFixture()
        : base(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit"))
    {
        Factory.ServiceOverrides.Add(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
}

/// <summary>An account a test signed up.</summary>
public sealed record TestAccount(Guid Id, string Email, string Password, string ReferralCode, string AccessToken, string RefreshToken);

/// <summary>Stands in for TryonService's internal endpoint: records each deletion asked for, or fails on demand.</summary>
public sealed class RecordingTryonService : ITryonServiceClient
{
    public ConcurrentBag<Guid> DeletedUsers { get; } = [];

    public volatile bool Fail;

    public Task DeleteUserDataAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new HttpRequestException("TryonService is down (test double).");
        }

        DeletedUsers.Add(userId);
        return Task.CompletedTask;
    }
}

/// <summary>Problem-details helpers.</summary>
public static class ProblemAssertions
{
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
