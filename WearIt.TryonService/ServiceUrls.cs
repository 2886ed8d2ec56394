namespace WearIt.TryonService;

/// <summary>The other services' base addresses, resolved by service discovery.</summary>
public static class ServiceUrls
{
    public static readonly Uri ApiService = new("http://apiservice");
}
