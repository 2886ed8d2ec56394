namespace WearIt.ApiService.Mail;

/// <summary>How outgoing mail leaves: <c>smtp</c> (MailKit, to MailPit or a real relay) or <c>pickup</c> (.eml files).</summary>
public sealed class MailOptions
{
    public const string SectionName = "WearIt:Mail";

    /// <summary><c>smtp</c> or <c>pickup</c>.</summary>
    public string Provider { get; set; } = "pickup";

    /// <summary>Where <c>pickup</c> writes messages.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>
    /// The public origin links in mail point at (the web app's and ApiService's); without it, mail carries codes only.
    /// Configured, never taken from a request's Host header, so nobody can make WearIt mail a link to their own site.
    /// </summary>
    public string? LinkBaseUrl { get; set; }

    /// <summary>The sender of every message.</summary>
    public string From { get; set; } = "WearIt <no-reply@wearit.local>";
}
