using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Users;

/// <summary>An account as its owner sees it.</summary>
public sealed record UserResponse(
    Guid Id, string Email, bool EmailVerified, string Name, string Role, IReadOnlyDictionary<string, string> StylePreferences, string ReferralCode,
    DateTime CreatedAt)
{
    public static UserResponse From(User user) =>
        new(user.Id, user.Email, user.EmailVerifiedAt is not null, user.Name, user.Role, user.StylePreferences, user.ReferralCode, user.CreatedAt);
}

/// <summary>The rules for names and style preferences.</summary>
public static class ProfileRules
{
    public const int MinNameLength = 2;
    public const int MaxNameLength = 100;
    public const int MaxPreferences = 30;
    public const int MaxPreferenceKeyLength = 50;
    public const int MaxPreferenceValueLength = 200;

    public static void CheckName(FieldErrors errors, string? name) =>
        errors.When((name?.Trim().Length ?? 0) is < MinNameLength or > MaxNameLength, "name",
            $"The name must be {MinNameLength} to {MaxNameLength} characters.");

    public static void CheckStylePreferences(FieldErrors errors, Dictionary<string, string> preferences) =>
        errors.When(preferences.Count > MaxPreferences, "stylePreferences", $"At most {MaxPreferences} style preferences.")
            .When(preferences.Any(pair => string.IsNullOrWhiteSpace(pair.Key) || pair.Key.Length > MaxPreferenceKeyLength), "stylePreferences",
                $"Each style preference needs a name of 1 to {MaxPreferenceKeyLength} characters.")
            .When(preferences.Any(pair => pair.Value is null || pair.Value.Length > MaxPreferenceValueLength), "stylePreferences",
                $"Each style preference value must be at most {MaxPreferenceValueLength} characters.");
}
