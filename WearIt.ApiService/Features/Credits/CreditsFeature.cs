using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Credits;

/// <summary>The credit ledger: grants, try-on spends and refunds, and the balance.</summary>
public static class CreditsFeature
{
    public static IHostApplicationBuilder AddCredits(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<CreditsOptions>(builder.Configuration.GetSection(CreditsOptions.SectionName));
        builder.AddRepository<ICreditLedgerRepository, MongoCreditLedgerRepository, LiteDbCreditLedgerRepository>();
        builder.Services.AddScoped<CreditsService>();
        builder.Services.AddUserDataEraser<ICreditLedgerRepository>((ledger, userId, cancellationToken) => ledger.DeleteAllAsync(userId, cancellationToken));
        return builder;
    }
}
