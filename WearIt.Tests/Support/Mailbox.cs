using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;

namespace WearIt.Tests.Support;

/// <summary>Reads the mail ApiService wrote to a pickup folder (.eml files), as its recipient would.</summary>
public static partial class Mailbox
{
    /// <summary>Every message to <paramref name="address"/> whose subject contains <paramref name="subject"/>, oldest first.</summary>
    public static List<MimeMessage> Find(string directory, string address, string subject)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*.eml")
            .Select(path => (Path: path, Message: MimeMessage.Load(path)))
            .Where(mail => mail.Message.To.Mailboxes.Any(to => to.Address == address) && (mail.Message.Subject?.Contains(subject, StringComparison.Ordinal) ?? false))
            .OrderBy(mail => File.GetLastWriteTimeUtc(mail.Path)).ThenBy(mail => mail.Message.Date)
            .Select(mail => mail.Message)];
    }

    /// <summary>Polls every 100 ms for up to 30 s until the <paramref name="count"/>-th such message is there (the mail is sent in the background).</summary>
    public static async Task<MimeMessage> WaitForAsync(string directory, string address, string subject, CancellationToken token, int count = 1)
    {
        for (var poll = 0; poll < 300; poll++)
        {
            var found = Find(directory, address, subject);
            if (found.Count >= count)
            {
                return found[count - 1];
            }

            await Task.Delay(100, token);
        }

        throw new Xunit.Sdk.XunitException($"Mail #{count} '{subject}' for {address} did not reach {directory} in 30 s.");
    }

    /// <summary>The six-digit code in a message.</summary>
    public static string CodeIn(MimeMessage message) => SixDigits().Match(message.TextBody ?? "").Value;

    /// <summary>The first link in a message, if any.</summary>
    public static Uri? LinkIn(MimeMessage message) =>
        Link().Match(message.TextBody ?? "") is { Success: true } match ? new Uri(match.Value) : null;

    /// <summary>Verifies a fresh account's address with the code it was mailed, as the web app's verification screen does.</summary>
    public static async Task VerifyEmailAsync(HttpClient api, string directory, string email, CancellationToken token)
    {
        var mail = await WaitForAsync(directory, email, VerificationSubject, token);
        using var verify = await api.PostAsJsonAsync("/api/v1/auth/verify-email", new { email, code = CodeIn(mail) }, token);
        var body = await verify.Content.ReadAsStringAsync(token);
        Assert.True(verify.StatusCode == HttpStatusCode.NoContent, $"Verification failed: {(int)verify.StatusCode} {body}");
    }

    /// <summary>Signs up through <paramref name="api"/> and verifies the address; the sign-up's answer.</summary>
    public static async Task<JsonElement> SignUpVerifiedAsync(HttpClient api, string directory, string email, string password, string name, CancellationToken token)
    {
        using var signup = await api.PostAsJsonAsync("/api/v1/auth/signup", new { email, password, name }, token);
        var body = await ApiServiceFixture.ReadAsync(signup, HttpStatusCode.Created);
        await VerifyEmailAsync(api, directory, email, token);
        return body;
    }

    public const string VerificationSubject = "Verify your WearIt email address";

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();
}
