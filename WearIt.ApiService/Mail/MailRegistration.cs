namespace WearIt.ApiService.Mail;

/// <summary>Registers the mail sender that <c>WearIt:Mail:Provider</c> names, and the outbox that feeds it.</summary>
public static class MailRegistration
{
    public static IHostApplicationBuilder AddWearItMail(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MailOptions.SectionName).Get<MailOptions>() ?? new MailOptions();
        builder.Services.Configure<MailOptions>(builder.Configuration.GetSection(MailOptions.SectionName));
        builder.Services.AddSingleton<IMailSender>(services => options.Provider.ToLowerInvariant() switch
        {
            "smtp" => new SmtpMailSender(new Uri(builder.Configuration.GetConnectionString("mail")
                ?? throw new InvalidOperationException("WearIt:Mail:Provider is 'smtp' but ConnectionStrings:mail is not set."))),
            "pickup" => new PickupDirectoryMailSender(
                options.PickupDirectory ?? throw new InvalidOperationException("WearIt:Mail:Provider is 'pickup' but WearIt:Mail:PickupDirectory is not set."),
                services.GetRequiredService<TimeProvider>()),
            _ => throw new InvalidOperationException($"WearIt:Mail:Provider '{options.Provider}' is not 'smtp' or 'pickup'."),
        });
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddHostedService<MailDispatcher>();
        return builder;
    }
}
