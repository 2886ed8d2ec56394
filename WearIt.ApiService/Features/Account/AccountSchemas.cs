namespace WearIt.ApiService.Features.Account;

/// <summary>A partial update of the account: only the fields present change.</summary>
public sealed record UpdateMeRequest(string? Name, Dictionary<string, string>? StylePreferences);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record DeleteAccountRequest(string? Password);
