using WearIt.ServiceDefaults.Errors;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Refuses, before a credit is spent, a body whose photo is still being checked, was rejected at upload, or does not
/// show what the garments need (its analysis says which cloth types it can wear).
/// </summary>
public static class BodyGate
{
    public static void Check(BodyInfo body)
    {
        switch (body.Status)
        {
            case "processing":
                throw new DomainException(ErrorKind.Conflict, "body_processing", "Your photo is still being checked; try again in a moment.");
            case "rejected":
                throw new DomainException(ErrorKind.Validation, body.RejectionCode ?? "body_rejected", body.RejectionMessage ?? "This photo cannot be used for a try-on.",
                    new Dictionary<string, string[]> { ["bodyId"] = [body.RejectionMessage ?? "This photo cannot be used for a try-on."] });
        }
    }

    public static void CheckWears(BodyInfo body, IEnumerable<string> clothTypes)
    {
        if (body.Analysis is not { } analysis)
        {
            return;
        }

        var missing = clothTypes.Distinct().Where(clothType => !analysis.Wears.Contains(clothType)).ToList();
        if (missing.Count > 0)
        {
            var parts = missing.Contains("dress") || missing.Count > 1 ? "you from the shoulders to the knees"
                : missing[0] == "lower" ? "your hips and knees" : "your shoulders";
            var message = $"This photo cannot show that garment: it must show {parts}.";
            throw new DomainException(ErrorKind.Validation, "person_not_fully_visible", message, new Dictionary<string, string[]> { ["items"] = [message] });
        }
    }
}
