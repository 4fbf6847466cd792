using Microsoft.Extensions.Logging;
using Quartz;

namespace PerpGuard.Bot.Alerts;

/// <summary>
/// Evaluates and then dispatches. Runs on a short schedule and, through <see cref="AlertTrigger"/>, right after each
/// market update. Never concurrent with itself; never throws (a failed sweep is logged and the next one retries).
/// </summary>
[DisallowConcurrentExecution]
public sealed class AlertSweepJob(AlertEngine engine, AlertDispatcher dispatcher, AlertTrigger trigger, ILogger<AlertSweepJob> logger) : IJob
{
    /// <summary>The job's key.</summary>
    public static readonly JobKey Key = new(nameof(AlertSweepJob));

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        trigger.Started();
        try
        {
            await engine.SweepAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            logger.AlertSweepFailed(ex);
        }
        try
        {
            // Dispatch even after a failed sweep: earlier decisions must still go out.
            await dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.AlertSweepFailed(ex);
        }
    }
}

/// <summary>
/// Asks for a sweep now (after a market update). Requests made while one is already queued are merged into it, so a
/// burst of updates costs one extra sweep, not one each.
/// </summary>
public sealed class AlertTrigger(ISchedulerFactory schedulers)
{
    private int _queued;

    /// <summary>Queues a sweep unless one is queued already.</summary>
    public async Task RequestAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _queued, 1) == 1) return;
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
            if (await scheduler.Exists(AlertSweepJob.Key, cancellationToken).ConfigureAwait(false))
            {
                await scheduler.TriggerJob(AlertSweepJob.Key, new JobDataMap(), cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        catch (SchedulerException)
        {
            // Shutting down: the scheduled sweep is gone with it, and nothing is lost (decisions are in the database).
        }
        Interlocked.Exchange(ref _queued, 0);
    }

    /// <summary>The queued sweep has started: later updates queue another.</summary>
    public void Started() => Interlocked.Exchange(ref _queued, 0);
}
