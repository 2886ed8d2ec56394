using WearIt.ApiService.Features.Users;

namespace WearIt.ApiService.Features.Auth;

/// <summary>Admin rights from <c>WearIt:AdminEmails</c>, for verified addresses only.</summary>
public sealed class AdminEmails(IConfiguration configuration)
{
    public string RoleFor(User user)
    {
        if (user.EmailVerifiedAt is null)
        {
            return Roles.User;
        }

        var admins = configuration.GetSection("WearIt:AdminEmails").Get<string[]>() ?? [];
        return admins.Any(admin => CredentialRules.NormalizeEmail(admin) == user.Email) ? Roles.Admin : Roles.User;
    }
}
