using WearIt.ServiceDefaults.Errors;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Settles what a request or a worker left half done: a job whose payment was never confirmed (the request was aborted,
/// or the spend's answer lost) is queued when ApiService says it was charged and removed when it was not; a finished
/// job's refund that ApiService did not confirm is asked for again. A job that cannot be settled now is passed over,
/// never blocking the ones behind it.
/// </summary>
public sealed partial class TryonSettlement(ITryonJobRepository jobs, IApiServiceClient apiService, TryonJobs owner, ILogger<TryonSettlement> logger)
{
    private const int Page = 20;

    /// <summary>Settles the pending-payment jobs created before <paramref name="createdBefore"/>; returns how many it settled.</summary>
    public async Task<int> SettlePaymentsAsync(DateTime createdBefore, CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var job in await jobs.ListPendingPaymentAsync(createdBefore, 100, cancellationToken))
        {
            try
            {
                if (await apiService.WasChargedAsync(job.UserId, job.Id, cancellationToken))
                {
                    // Paid, but the request that paid never queued it: it runs now.
                    await owner.QueuePaidAsync(job, cancellationToken);
                }
                else
                {
                    // Never paid: it never ran and never will. Removed, then refunded in case a spend landed meanwhile.
                    await owner.RemoveUnpaidAsync(job, cancellationToken);
                }

                settled++;
            }
            catch (DomainException ex) when (ex.Kind == ErrorKind.DependencyUnavailable)
            {
                LogCannotSettle(logger, job.Id, ex.Message);
            }
        }

        return settled;
    }

    /// <summary>Asks again for every unconfirmed refund, page by page past those that fail again.</summary>
    public async Task SettleRefundsAsync(CancellationToken cancellationToken)
    {
        for (var skip = 0; ; skip += Page)
        {
            var batch = await jobs.ListRefundPendingAsync(skip, Page, cancellationToken);
            foreach (var job in batch)
            {
                await owner.RefundAsync(job, cancellationToken);
            }

            if (batch.Count < Page)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment of try-on {TryonId} cannot be settled yet: {Reason}")]
    private static partial void LogCannotSettle(ILogger logger, Guid tryonId, string reason);
}
