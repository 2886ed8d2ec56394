#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental in Microsoft.Extensions.Http.Resilience.
using Microsoft.Extensions.Http.Resilience;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Limits;

namespace WearIt.Gateway.Mobile;

/// <summary>
/// Mobile v1: the first version's React Native app, unchanged but for its <c>BASE_URL</c>, on WearIt. A backend for
/// that frontend: each route calls the services' own APIs by service name and maps the shapes; the services keep no
/// second API. Errors are problem details with WearIt's code and a <c>detail</c> sentence.
/// </summary>
public static class MobileApi
{
    public const string Prefix = "/mobile/v1";

    public static IHostApplicationBuilder AddMobileApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MobileOptions>()
            .Bind(builder.Configuration.GetSection(MobileOptions.SectionName))
            .Validate(options => options.MobileTokenLifetime > TimeSpan.Zero && options.MobileTokenLifetime <= JwtOptions.LongestAccessTokenLifetime,
                $"WearIt:Gateway:MobileTokenLifetime must be more than zero and at most {JwtOptions.LongestAccessTokenLifetime}.")
            .ValidateOnStart();

        // The service-token key signs the one internal call (the lasting-token exchange); nothing here checks user tokens.
        builder.Services.Configure<JwtOptions>(builder.Configuration.GetSection(JwtOptions.SectionName));
        builder.Services.AddSingleton<ServiceTokenIssuer>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConcurrentSlots<string>>();
        builder.Services.AddSingleton<BodyUploadSignals>();
        builder.Services.AddSingleton<WearItServices>();
        foreach (var (name, address) in new[] { (WearItServices.Api, "http://apiservice"), (WearItServices.Tryon, "http://tryonservice") })
        {
            // No retries: a sign-up, an upload or a try-on sent twice would be done twice (and a try-on charged twice).
            builder.Services.AddHttpClient(name, (services, client) =>
                {
                    client.BaseAddress = new Uri(address);
                    client.Timeout = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MobileOptions>>().Value.ServiceTimeout;
                })
                .RemoveAllResilienceHandlers();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapMobileApi(this IEndpointRouteBuilder app)
    {
        var mobile = app.MapGroup(Prefix).AddEndpointFilter(AnswerProblems);
        mobile.MapMobileAuth()
            .MapMobileUser()
            .MapMobileBody()
            .MapMobileClothing()
            .MapMobileTryon();

        // The Pinterest explorer scraped a third party's site; WearIt does not.
        mobile.Map("/explorer/{**rest}", (HttpContext http) => new MobileProblem(StatusCodes.Status501NotImplemented, "not_implemented",
            "The explorer is not part of WearIt: add garments from your own photos instead.").ToResult(http));
        // Anything else under the prefix is not the web app's (the proxy's catch-all would serve it a page).
        mobile.Map("/{**rest}", (HttpContext http) =>
            new MobileProblem(StatusCodes.Status404NotFound, "not_found", "There is no such route in the mobile API.").ToResult(http));
        return app;
    }

    private static async ValueTask<object?> AnswerProblems(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (MobileProblem problem)
        {
            return problem.ToResult(context.HttpContext);
        }
        catch (BadHttpRequestException ex)
        {
            return new MobileProblem(ex.StatusCode, "bad_request", "The request could not be read.").ToResult(context.HttpContext);
        }
    }
}
