using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Alerts;
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
    IServiceScopeFactory scopes, ILogger<ReplaySource> logger, AlertEngine? alerts = null, AlertTrigger? trigger = null) : BackgroundService
{
    private int _played;
    private bool _started;

    /// <summary>Plays the whole scenario without waiting (for <c>perpguard market --replay</c> and tests).</summary>
    public Task PlayAllAsync(CancellationToken cancellationToken) => PlayUntilAsync(scenario.Header.End, cancellationToken);

    /// <summary>Plays every event stamped up to <paramref name="until"/> without waiting, and stops the clock there.</summary>
    public async Task PlayUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await ResetAsync(cancellationToken).ConfigureAwait(false);
        await IngestAsync(scenario.Events.TakeWhile(e => e.At <= until).ToList(), cancellationToken).ConfigureAwait(false);
        clock.Stop(until);
    }

    /// <summary>
    /// Plays forward to <paramref name="until"/> without waiting and stops the clock there: the first call starts the
    /// replay (reset, sandbox, history), later calls add only the events after the previous one. For stepping a
    /// scenario under a test's control, one market update at a time.
    /// </summary>
    public async Task AdvanceAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (!_started) await BeginAsync(cancellationToken).ConfigureAwait(false);
        await PlayThroughAsync(until, cancellationToken).ConfigureAwait(false);
        clock.Stop(until);
    }

    /// <summary>
    /// Loads the history before the host goes on: hosted services start in order, so the chat channels open on a
    /// market that is already there.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken).ConfigureAwait(false);
        var header = scenario.Header;
        var history = scenario.Events.TakeWhile(e => e.At < header.PlayFrom).ToList();
        await IngestAsync(history, cancellationToken).ConfigureAwait(false);
        _played = history.Count;
        clock.Start();
        logger.ReplayStarted(header.Name, clock.Speed, header.PlayFrom, header.End, scenario.Events.Count, history.Count);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var header = scenario.Header;
        try
        {
            while (_played < scenario.Events.Count)
            {
                var at = scenario.Events[_played].At;
                var wait = clock.WallTimeUntil(at);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, TimeProvider.System, stoppingToken).ConfigureAwait(false);
                // Everything stamped up to now goes in one step (one transaction).
                var now = clock.GetUtcNow();
                await PlayThroughAsync(now > at ? now : at, stoppingToken).ConfigureAwait(false);
                // A market update: evaluate the alerts now (merged with any sweep already queued).
                if (trigger is not null) await trigger.RequestAsync(stoppingToken).ConfigureAwait(false);
            }
            clock.Stop(header.End);
            logger.ReplayFinished(header.Name, header.End);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // A run starts from an empty tape, in the alert sandbox.
    private async Task BeginAsync(CancellationToken cancellationToken)
    {
        await ResetAsync(cancellationToken).ConfigureAwait(false);
        await PrepareSandboxAsync(cancellationToken).ConfigureAwait(false);
        _started = true;
    }

    // Ingests the events after the last one played, up to and including those stamped at until, in one step.
    private async Task PlayThroughAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var end = _played;
        while (end < scenario.Events.Count && scenario.Events[end].At <= until) end++;
        await IngestAsync(scenario.Events.Skip(_played).Take(end - _played).ToList(), cancellationToken).ConfigureAwait(false);
        _played = end;
    }

    // The bot on a replay: alert states start armed and the daily cap at zero (the tape starts over; the alert history
    // stays, and anything the outbox still holds from a previous run is delivered), and the built-in scenario's demo
    // portfolio is added for the console user who has no positions, so alerts arrive without typing anything.
    private async Task PrepareSandboxAsync(CancellationToken cancellationToken)
    {
        if (alerts is null) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        await db.AlertStates.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        // The daily cap starts over with the tape: the previous run's alerts were sent on the same scenario day.
        await db.Alerts.Where(a => a.Counted).ExecuteUpdateAsync(a => a.SetProperty(r => r.Counted, false), cancellationToken).ConfigureAwait(false);
        if (ReplayDemo.For(scenario.Header.Name) is { } demo)
        {
            var (positions, rules) = await demo.SeedAsync(db, scenario.Header.PlayFrom, cancellationToken).ConfigureAwait(false);
            if (positions + rules > 0) logger.ReplayDemoAdded(positions, rules);
        }
        await alerts.ResetAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task IngestAsync(List<ReplayEvent> events, CancellationToken cancellationToken)
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
