namespace WearIt.ApiService.Features.Account;

/// <summary>The signed-in user's own account (<c>/api/v1/users/me</c>): profile, password, deletion.</summary>
public static class AccountFeature
{
    public static IHostApplicationBuilder AddAccount(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<AccountService>();
        return builder;
    }
}
