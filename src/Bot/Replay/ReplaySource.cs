using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Replay;

/// <summary>
/// Plays a <see cref="ReplayScenario"/> through <see cref="MarketIngest"/>, the same path live polling takes: the
/// history before <see cref="ReplayHeader.PlayFrom"/> at once, then each event when the <see cref="ReplayClock"/>
/// reaches it. A replay starts from an empty tape: the market series of the replay database are cleared first
/// (users, positions and watches stay).
/// </summary>
public sealed class ReplaySource(ReplayScenario scenario, ReplayClock clock, MarketIngest ingest, MarketState state,
    IServiceScopeFactory scopes, ILogger<ReplaySource> logger) : BackgroundService
{
    private readonly TaskCompletionSource _historyLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the history is in and playback has begun.</summary>
    public Task HistoryLoaded => _historyLoaded.Task;

    /// <summary>Plays the whole scenario without waiting (for <c>perpguard market --replay</c> and tests).</summary>
    public async Task PlayAllAsync(CancellationToken cancellationToken)
    {
        await ResetAsync(cancellationToken).ConfigureAwait(false);
        await IngestAsync(scenario.Events, cancellationToken).ConfigureAwait(false);
        clock.Stop(scenario.Header.End);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ResetAsync(stoppingToken).ConfigureAwait(false);
            var header = scenario.Header;
            var history = scenario.Events.TakeWhile(e => e.At < header.PlayFrom).ToList();
            await IngestAsync(history, stoppingToken).ConfigureAwait(false);
            clock.Start();
            _historyLoaded.TrySetResult();
            logger.ReplayStarted(header.Name, clock.Speed, header.PlayFrom, header.End, scenario.Events.Count, history.Count);
            var next = history.Count;
            while (next < scenario.Events.Count)
            {
                var at = scenario.Events[next].At;
                var wait = clock.WallTimeUntil(at);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, TimeProvider.System, stoppingToken).ConfigureAwait(false);
                // Everything stamped up to now goes in one step (one transaction).
                var now = clock.GetUtcNow();
                var end = next;
                while (end < scenario.Events.Count && scenario.Events[end].At <= (now > at ? now : at)) end++;
                await IngestAsync(scenario.Events.Skip(next).Take(end - next).ToList(), stoppingToken).ConfigureAwait(false);
                next = end;
            }
            clock.Stop(header.End);
            logger.ReplayFinished(header.Name, header.End);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _historyLoaded.TrySetResult();
        }
    }

    private async Task ResetAsync(CancellationToken cancellationToken)
    {
        state.Clear();
        ingest.Reset();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        await db.Tickers.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.SpotTickers.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.OpenInterest.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Books.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Bars.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task IngestAsync(IReadOnlyList<ReplayEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            var task = e switch
            {
                TickerEvent t => ingest.TickersAsync(e.Key.Venue, [t.Ticker], cancellationToken, db),
                SpotEvent s => ingest.SpotAsync(e.Key, s.Spot, cancellationToken, db),
                OpenInterestEvent o => ingest.OpenInterestAsync(e.Key, [o.Point], history: false, cancellationToken, db),
                BarEvent b => ingest.BarsAsync(e.Key, b.Market, [b.Bar], cancellationToken, db),
                BookEvent k => ingest.BookSummaryAsync(e.Key, k.Summary, cancellationToken, db),
                _ => Task.CompletedTask,
            };
            await task.ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
