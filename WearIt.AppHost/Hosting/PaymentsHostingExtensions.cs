using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Hands the shop's settings to ApiService: every <c>WearIt:Payments:*</c> setting the AppHost was given (command line,
/// environment, user secrets: packs, <c>Stripe:ApiBase</c>), Stripe's keys from the secret parameters
/// <c>stripe-secret-key</c> and <c>stripe-webhook-secret</c>, (Stripe's return URLs name the gateway: WithPublicOrigin).
/// </summary>
public static class PaymentsHostingExtensions
{
    public const string Section = "WearIt:Payments";

    public const string SecretKeyParameter = "stripe-secret-key";

    public const string WebhookSecretParameter = "stripe-webhook-secret";

    public static IResourceBuilder<ProjectResource> WithPayments(this IResourceBuilder<ProjectResource> service, IDistributedApplicationBuilder builder)
    {
        service.WithSettingsOf(Section, builder);

        // Empty unless set (Parameters:stripe-secret-key=…): without them ApiService answers 503 payments_unavailable
        // and the web app hides the shop, so a developer without a Stripe account runs everything else.
        service.WithEnvironment("WearIt__Payments__Stripe__SecretKey", builder.AddParameter(SecretKeyParameter, new EmptyByDefault(), secret: true))
            .WithEnvironment("WearIt__Payments__Stripe__WebhookSecret", builder.AddParameter(WebhookSecretParameter, new EmptyByDefault(), secret: true));
        return service;
    }

    /// <summary>
    /// The value of a parameter not set in configuration: empty (a constant default would win over configuration). The
    /// manifest declares the empty default too, so a deployment without a Stripe account needs no value.
    /// </summary>
    private sealed class EmptyByDefault : ParameterDefault
    {
        public override string GetDefaultValue() => "";

        public override void WriteToManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context) => context.Writer.WriteString("value", "");
    }
}
