using Microsoft.Extensions.Http.Resilience;
using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Payments;

/// <summary>Credit packs sold with Stripe Checkout, credited from Stripe's webhook.</summary>
public static class PaymentsFeature
{
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<PaymentsOptions>(builder.Configuration.GetSection(PaymentsOptions.SectionName));
        builder.AddRepository<IPaymentRepository, MongoPaymentRepository, LiteDbPaymentRepository>();
        // Stripe.net retries by Stripe's own rules (Stripe-Should-Retry, the idempotency key on every retry); a second
        // layer of retries from the service defaults would multiply them.
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001); it is the documented way to opt one client out.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(StripeCheckout.HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddScoped<StripeCheckout>();
        builder.Services.AddScoped<PaymentsService>();
        builder.Services.AddUserDataEraser<IPaymentRepository>((payments, userId, cancellationToken) => payments.DeleteAllForUserAsync(userId, cancellationToken));
        return builder;
    }
}
