namespace WearIt.ApiService;

/// <summary>The other services' base addresses, resolved by service discovery.</summary>
public static class ServiceUrls
{
    public static readonly Uri TryonService = new("http://tryonservice");
}
