namespace WearIt.ApiService;

/// <summary>Names this assembly for test hosts (WebApplicationFactory needs a type from the entry assembly).</summary>
public sealed class ApiServiceAssembly;
