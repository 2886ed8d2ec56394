using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ApiService.Features.Auth;
using WearIt.ApiService.Features.Users;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Account;

/// <summary>The signed-in user's own account: profile, password and deletion.</summary>
public sealed class AccountService(
    IUserRepository users,
    IRefreshTokenRepository refreshTokens,
    PasswordHashing passwords,
    PasswordCheck passwordCheck,
    AccountDeletionService deletion,
    SessionEnder sessions,
    TimeProvider time)
{
    public async Task<UserResponse> GetAsync(Guid userId, CancellationToken cancellationToken) =>
        UserResponse.From(await users.FindByIdAsync(userId, cancellationToken) ?? throw DomainException.NotFound("The account"));

    public async Task<UserResponse> UpdateAsync(Guid userId, UpdateMeRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Name is not null)
        {
            ProfileRules.CheckName(errors, request.Name);
        }

        if (request.StylePreferences is not null)
        {
            ProfileRules.CheckStylePreferences(errors, request.StylePreferences);
        }

        errors.ThrowIfAny();
        var updated = await users.UpdateAsync(userId, user =>
        {
            user.Name = request.Name?.Trim() ?? user.Name;
            user.StylePreferences = request.StylePreferences ?? user.StylePreferences;
        }, cancellationToken);
        return UserResponse.From(updated);
    }

    /// <summary>
    /// Changes the password and ends every other session; the caller's session stays. A wrong current password counts
    /// toward the login throttle, so a stolen access token cannot guess the password faster than a login could.
    /// </summary>
    public async Task ChangePasswordAsync(Guid userId, Guid? currentSession, ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId, cancellationToken) ?? throw DomainException.NotFound("The account");
        var errors = new FieldErrors();
        errors.When(string.IsNullOrEmpty(request.CurrentPassword), "currentPassword", "The current password is required.");
        CredentialRules.CheckNewPassword(errors, request.NewPassword, user.Email, "newPassword");
        errors.ThrowIfAny();
        if (!await passwordCheck.VerifyAsync(user.Email, user.PasswordHash, request.CurrentPassword, cancellationToken))
        {
            throw new DomainException(ErrorKind.Validation, "current_password_wrong", "The current password is wrong.",
                new Dictionary<string, string[]> { ["currentPassword"] = ["The current password is wrong."] });
        }

        var newHash = passwords.Hash(request.NewPassword!);
        await users.UpdateAsync(userId, stored => stored.PasswordHash = newHash, cancellationToken);
        await sessions.EndAllSessionsAsync(userId, currentSession, cancellationToken);
        await refreshTokens.RevokeAllForUserAsync(userId, currentSession, time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Deletes the account and everything it owns, after checking the password.</summary>
    public async Task DeleteAsync(Guid userId, DeleteAccountRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId, cancellationToken) ?? throw DomainException.NotFound("The account");
        if (string.IsNullOrEmpty(request.Password) || !await passwordCheck.VerifyAsync(user.Email, user.PasswordHash, request.Password, cancellationToken))
        {
            throw new DomainException(ErrorKind.Validation, "password_wrong", "The password is wrong.",
                new Dictionary<string, string[]> { ["password"] = ["The password is wrong."] });
        }

        await deletion.DeleteAsync(userId, cancellationToken);
    }
}
