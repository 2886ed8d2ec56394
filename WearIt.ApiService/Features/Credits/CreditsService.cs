using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Credits;

/// <summary>The rules of credits: grants, spends that never take the balance below zero, refunds of real spends.</summary>
public sealed class CreditsService(ICreditLedgerRepository ledger, TimeProvider time)
{
    public const int SignupBonus = 20;
    public const int ReferralBonus = 15;
    public const int RecentEntries = 50;

    // Appends race only with the same user's other appends; this many lost races in a row means something is wrong.
    private const int MaxAttempts = 25;

    /// <summary>The balance and recent ledger.</summary>
    public async Task<CreditsResponse> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var entries = await ledger.ListRecentAsync(userId, RecentEntries, cancellationToken);
        return new CreditsResponse(entries.FirstOrDefault()?.BalanceAfter ?? 0, [.. entries.Select(CreditEntryResponse.From)]);
    }

    /// <summary>Grants credits once per key (sign-up bonus, referral bonus).</summary>
    public Task<CreditEntry> GrantAsync(Guid userId, int amount, string reason, string key, CancellationToken cancellationToken) =>
        ApplyAsync(userId, amount, reason, key, jobId: null, cancellationToken);

    /// <summary>Spends one credit for a try-on job; the same job is charged once however often it asks.</summary>
    public Task<CreditEntry> SpendForJobAsync(Guid userId, string jobId, CancellationToken cancellationToken) =>
        ApplyAsync(userId, -1, "tryon_spend", SpendKey(jobId), jobId, cancellationToken);

    /// <summary>Gives back the credit a job spent; once per job, and only for a job that was charged.</summary>
    public async Task<CreditEntry> RefundJobAsync(Guid userId, string jobId, CancellationToken cancellationToken)
    {
        if (await ledger.FindByKeyAsync(userId, SpendKey(jobId), cancellationToken) is null)
        {
            throw new DomainException(ErrorKind.NotFound, "spend_not_found", "No credit was spent for this job.");
        }

        return await ApplyAsync(userId, +1, "tryon_refund", $"refund:{jobId}", jobId, cancellationToken);
    }

    /// <summary>Whether a credit was spent for the job, and whether it was given back.</summary>
    public async Task<(bool Spent, bool Refunded)> FindJobSpendAsync(Guid userId, string jobId, CancellationToken cancellationToken) =>
        (await ledger.FindByKeyAsync(userId, SpendKey(jobId), cancellationToken) is not null,
         await ledger.FindByKeyAsync(userId, $"refund:{jobId}", cancellationToken) is not null);

    /// <summary>Credits a purchase once per <paramref name="reference"/> (the payment), however often it is reported.</summary>
    public Task<CreditEntry> CreditPurchaseAsync(Guid userId, int credits, string reference, CancellationToken cancellationToken) =>
        ApplyAsync(userId, credits, "purchase", $"purchase:{reference}", jobId: null, cancellationToken, reference);

    /// <summary>
    /// Takes back credits of the purchase <paramref name="reference"/> until <paramref name="target"/> of them in all have
    /// been taken back (a refund of part of a payment takes part of them). The balance never goes below zero: what it
    /// lacks is recorded as uncollected and counts as taken, so a second report of the same refund takes nothing more.
    /// Take-backs are numbered per purchase in their idempotency keys, so two at once cannot both take the same credits.
    /// </summary>
    public async Task<CreditEntry?> TakeBackPurchaseAsync(Guid userId, string reference, int target, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (covered, count) = (0, 0);
            while (await ledger.FindByKeyAsync(userId, TakeBackKey(reference, count + 1), cancellationToken) is { } earlier)
            {
                covered += -earlier.Amount + earlier.Uncollected;
                count++;
            }

            if (target <= covered)
            {
                return null;
            }

            var latest = await ledger.GetLatestAsync(userId, cancellationToken);
            var balance = latest?.BalanceAfter ?? 0;
            var owed = target - covered;
            var taken = Math.Min(owed, balance);
            var sequence = (latest?.Sequence ?? 0) + 1;
            var entry = new CreditEntry
            {
                Id = CreditEntry.IdFor(userId, sequence),
                UserId = userId,
                Sequence = sequence,
                Amount = -taken,
                BalanceAfter = balance - taken,
                Reason = "purchase_refund",
                IdempotencyKey = CreditEntry.KeyFor(userId, TakeBackKey(reference, count + 1)),
                Reference = reference,
                Uncollected = owed - taken,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            if (await ledger.TryAppendAsync(entry, cancellationToken) == AppendOutcome.Appended)
            {
                return entry;
            }

            // Another change took the sequence, or another take-back its number: count again.
            await Task.Delay(Random.Shared.Next(1, 5 + attempt * 2), cancellationToken);
        }

        throw new DomainException(ErrorKind.Conflict, "credits_busy", "The credit balance is changing too fast; try again.");
    }

    /// <summary>Removes the user's whole ledger (account deletion).</summary>
    public Task DeleteAllAsync(Guid userId, CancellationToken cancellationToken) => ledger.DeleteAllAsync(userId, cancellationToken);

    private static string SpendKey(string jobId) => $"spend:{jobId}";

    private static string TakeBackKey(string reference, int number) => $"purchase_refund:{reference}:{number}";

    private async Task<CreditEntry> ApplyAsync(
        Guid userId, int amount, string reason, string key, string? jobId, CancellationToken cancellationToken, string? reference = null)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await ledger.FindByKeyAsync(userId, key, cancellationToken) is { } applied)
            {
                return applied;
            }

            var latest = await ledger.GetLatestAsync(userId, cancellationToken);
            var balance = latest?.BalanceAfter ?? 0;
            if (balance + amount < 0)
            {
                throw new DomainException(ErrorKind.PaymentRequired, "credits_exhausted", "You have no credits left.");
            }

            var sequence = (latest?.Sequence ?? 0) + 1;
            var entry = new CreditEntry
            {
                Id = CreditEntry.IdFor(userId, sequence),
                UserId = userId,
                Sequence = sequence,
                Amount = amount,
                BalanceAfter = balance + amount,
                Reason = reason,
                IdempotencyKey = CreditEntry.KeyFor(userId, key),
                JobId = jobId,
                Reference = reference,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            var outcome = await ledger.TryAppendAsync(entry, cancellationToken);
            if (outcome == AppendOutcome.Appended)
            {
                return entry;
            }

            // KeyExists: the loop's first step returns the entry that won. SequenceTaken: read the new balance.
            await Task.Delay(Random.Shared.Next(1, 5 + attempt * 2), cancellationToken);
        }

        throw new DomainException(ErrorKind.Conflict, "credits_busy", "The credit balance is changing too fast; try again.");
    }
}
