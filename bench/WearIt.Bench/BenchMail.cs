using System.Text.RegularExpressions;
using MimeKit;

namespace WearIt.Bench;

/// <summary>Reads ApiService's pickup folder, as a new user reads their mail, to verify a benchmark account.</summary>
internal static partial class BenchMail
{
    /// <summary>The code in the verification mail to <paramref name="email"/> (it is sent in the background: polls for 30 s).</summary>
    public static async Task<string> VerificationCodeAsync(string mailDirectory, string email)
    {
        for (var poll = 0; poll < 300; poll++)
        {
            foreach (var file in Directory.Exists(mailDirectory) ? Directory.EnumerateFiles(mailDirectory, "*.eml") : [])
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(to => to.Address == email) && SixDigits().Match(message.TextBody ?? "") is { Success: true } code)
                {
                    return code.Value;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No verification mail for {email} in 30 s.");
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
