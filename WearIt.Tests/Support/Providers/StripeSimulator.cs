using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WearIt.Tests.Support.Providers;

/// <summary>
/// Stripe's <c>POST /v1/checkout/sessions</c> as its API reference describes it, on a loopback port: a Bearer secret
/// key, a form-encoded body of known parameters only (<c>Received unknown parameter</c> otherwise), prices that exist,
/// absolute return URLs, and idempotency keys (the same key with the same parameters answers the same session; with
/// others, <c>idempotency_error</c>). Errors are Stripe's <c>{error: {type, code, message, param}}</c>. It also writes
/// the events Stripe would deliver about its sessions, and signs them as Stripe does.
/// </summary>
public sealed class StripeSimulator : IAsyncDisposable
{
    private static readonly string[] Scalars = ["mode", "client_reference_id", "success_url", "cancel_url", "line_items[0][price]", "line_items[0][quantity]"];

    private readonly ConcurrentDictionary<string, (string Body, string Response)> _idempotent = new();
    private readonly ConcurrentDictionary<string, SimulatedSession> _sessions = new();
    private WebApplication _app = null!;

    public string SecretKey { get; } = "sk_test_" + Guid.NewGuid().ToString("N");

    public string WebhookSecret { get; } = "whsec_" + Guid.NewGuid().ToString("N");

    /// <summary>Prices that exist, and their amounts in cents.</summary>
    public Dictionary<string, long> Prices { get; } = [];

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every create call's form and headers, accepted or not.</summary>
    public ConcurrentQueue<SimulatedRequest> Requests { get; } = new();

    /// <summary>Why requests were refused, for a test to show.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/checkout/sessions", CreateAsync);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        BaseUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/') + "/");
    }

    public SimulatedSession Session(string id) => _sessions[id];

    private async Task<IResult> CreateAsync(HttpRequest request)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        Requests.Enqueue(new SimulatedRequest(
            request.Headers.Authorization.ToString(), request.Headers["Idempotency-Key"].ToString(), request.Headers["Stripe-Version"].ToString(),
            form?.ToDictionary(field => field.Key, field => field.Value.ToString()) ?? []));
        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return Error(401, "invalid_request_error", null, "Invalid API Key provided.", null);
        }

        if (form is null || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            return Error(400, "invalid_request_error", null, "The body must be application/x-www-form-urlencoded.", null);
        }

        var unknown = form.Keys.FirstOrDefault(key => !Scalars.Contains(key)
            && !key.StartsWith("metadata[", StringComparison.Ordinal) && !key.StartsWith("payment_intent_data[metadata][", StringComparison.Ordinal));
        if (unknown is not null)
        {
            return Error(400, "invalid_request_error", "parameter_unknown", $"Received unknown parameter: {unknown}", unknown);
        }

        if (form["mode"] != "payment")
        {
            return Error(400, "invalid_request_error", "parameter_invalid_empty", "mode must be payment here.", "mode");
        }

        if (!Prices.TryGetValue(form["line_items[0][price]"].ToString(), out var amount))
        {
            return Error(400, "invalid_request_error", "resource_missing", $"No such price: '{form["line_items[0][price]"]}'", "line_items[0][price]");
        }

        if (form["line_items[0][quantity]"] != "1")
        {
            return Error(400, "invalid_request_error", "parameter_invalid_integer", "quantity must be 1 here.", "line_items[0][quantity]");
        }

        foreach (var url in new[] { "success_url", "cancel_url" })
        {
            if (!Uri.TryCreate(form[url], UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                return Error(400, "invalid_request_error", "url_invalid", "Not a valid URL", url);
            }
        }

        var key = request.Headers["Idempotency-Key"].ToString();
        var body = string.Join('&', form.OrderBy(field => field.Key, StringComparer.Ordinal).Select(field => $"{field.Key}={field.Value}"));
        if (key.Length > 0 && _idempotent.TryGetValue(key, out var earlier))
        {
            return earlier.Body == body
                ? Results.Text(earlier.Response, "application/json")
                : Error(400, "idempotency_error", null, "Keys for idempotent requests can only be used with the same parameters they were first used with.", null);
        }

        var session = new SimulatedSession(
            "cs_test_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N")[..24], form["client_reference_id"].ToString(), amount,
            form.Where(field => field.Key.StartsWith("metadata[", StringComparison.Ordinal)).ToDictionary(field => field.Key["metadata[".Length..^1], field => field.Value.ToString()),
            form.Where(field => field.Key.StartsWith("payment_intent_data[metadata][", StringComparison.Ordinal))
                .ToDictionary(field => field.Key["payment_intent_data[metadata][".Length..^1], field => field.Value.ToString()));
        var response = JsonSerializer.Serialize(session.Object("open", "unpaid") with { Url = $"https://checkout.stripe.com/c/pay/{session.Id}" }, Json);
        if (key.Length > 0 && !_idempotent.TryAdd(key, (body, response)))
        {
            return Results.Text(_idempotent[key].Response, "application/json");
        }

        _sessions[session.Id] = session;
        return Results.Text(response, "application/json");
    }

    private IResult Error(int status, string type, string? code, string message, string? param)
    {
        Refusals.Enqueue($"{status} {type} {code}: {message}");
        return Results.Json(new { error = new { type, code, message, param } }, statusCode: status);
    }

    /// <summary>An event as Stripe delivers it, about <paramref name="data"/>.</summary>
    public static string Event(string type, object data) => JsonSerializer.Serialize(new
    {
        id = "evt_" + Guid.NewGuid().ToString("N")[..24],
        @object = "event",
        api_version = "2025-11-17.clover",
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        livemode = false,
        pending_webhooks = 1,
        request = new { id = (string?)null, idempotency_key = (string?)null },
        type,
        data = new { @object = data },
    }, Json);

    /// <summary>
    /// The <c>Stripe-Signature</c> header Stripe sends: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.payload"
    /// keyed with the endpoint secret&gt;</c> (written out here rather than with Stripe.net, so the product's check is
    /// tested against the documented scheme).
    /// </summary>
    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public string Sign(string payload) => Sign(payload, WebhookSecret, DateTimeOffset.UtcNow);

    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One create call as the simulator received it.</summary>
public sealed record SimulatedRequest(string Authorization, string IdempotencyKey, string StripeVersion, Dictionary<string, string> Form);

/// <summary>A Checkout Session the simulator created, and the objects Stripe's events about it carry.</summary>
public sealed record SimulatedSession(
    string Id, string PaymentIntent, string ClientReferenceId, long Amount, Dictionary<string, string> Metadata, Dictionary<string, string> PaymentIntentMetadata)
{
    public SessionObject Object(string status, string paymentStatus) =>
        new(Id, "checkout.session", "payment", status, paymentStatus, ClientReferenceId, Metadata, paymentStatus == "paid" ? PaymentIntent : null, Amount, "usd", null);

    /// <summary>The charge of the session's PaymentIntent, with <paramref name="refunded"/> cents of it refunded.</summary>
    public object Charge(long refunded) => new
    {
        id = "ch_" + PaymentIntent[3..],
        @object = "charge",
        amount = Amount,
        amount_refunded = refunded,
        refunded = refunded >= Amount,
        currency = "usd",
        paid = true,
        status = "succeeded",
        payment_intent = PaymentIntent,
        metadata = PaymentIntentMetadata,
    };
}

/// <summary>The fields of a Checkout Session object WearIt reads, as Stripe names them.</summary>
public sealed record SessionObject(
    string Id, string Object, string Mode, string Status, string PaymentStatus, string ClientReferenceId, Dictionary<string, string> Metadata,
    string? PaymentIntent, long AmountTotal, string Currency, string? Url);
