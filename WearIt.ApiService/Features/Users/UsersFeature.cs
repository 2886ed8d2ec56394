using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Users;

/// <summary>The user records every other account feature builds on; it depends on no other feature but deletion's contract.</summary>
public static class UsersFeature
{
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        builder.AddRepository<IUserRepository, MongoUserRepository, LiteDbUserRepository>();
        builder.Services.AddUserDataEraser<IUserRepository>((users, userId, cancellationToken) => users.DeleteAsync(userId, cancellationToken));
        return builder;
    }
}
