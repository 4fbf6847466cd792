using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Venues;
using Quartz;

namespace PerpGuard.Bot.Market.Jobs;

/// <summary>
/// A polling job for one venue (its <see cref="VenueKey"/> job data). Never throws: Quartz would only log it, and a
/// thrown job could be refired in a loop. Cancellation (shutdown) ends it quietly.
/// </summary>
public abstract class VenuePollJob(IOptions<MarketOptions> market, IOptions<VenuesOptions> venues, ILogger logger) : IJob
{
    /// <summary>Job-data key holding the venue name.</summary>
    public const string VenueKey = "venue";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.MergedJobDataMap.GetString(VenueKey);
        if (!VenueRules.TryParseVenue(name, out var venue) || !market.Value.Poll || !venues.Value.For(venue).Enabled) return;
        try
        {
            await PollAsync(venue, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.PollFailed(ex, venue.Name(), GetType().Name);
        }
    }

    /// <summary>One cycle.</summary>
    protected abstract Task PollAsync(Venue venue, CancellationToken cancellationToken);
}

/// <summary>Prices, funding and spot (default every 15 s).</summary>
[DisallowConcurrentExecution]
public sealed class PollPricesJob(MarketPoller poller, AlertTrigger alerts, IOptions<MarketOptions> market, IOptions<VenuesOptions> venues, ILogger<PollPricesJob> logger)
    : VenuePollJob(market, venues, logger)
{
    /// <inheritdoc />
    protected override async Task PollAsync(Venue venue, CancellationToken cancellationToken)
    {
        await poller.PollPricesAsync(venue, cancellationToken).ConfigureAwait(false);
        // New prices: evaluate the alerts now rather than at the next scheduled sweep.
        await alerts.RequestAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Open interest and the order book (default every 30 s).</summary>
[DisallowConcurrentExecution]
public sealed class PollDepthJob(MarketPoller poller, IOptions<MarketOptions> market, IOptions<VenuesOptions> venues, ILogger<PollDepthJob> logger)
    : VenuePollJob(market, venues, logger)
{
    /// <inheritdoc />
    protected override Task PollAsync(Venue venue, CancellationToken cancellationToken) => poller.PollDepthAsync(venue, cancellationToken);
}

/// <summary>Candles (default every 60 s).</summary>
[DisallowConcurrentExecution]
public sealed class PollBarsJob(MarketPoller poller, IOptions<MarketOptions> market, IOptions<VenuesOptions> venues, ILogger<PollBarsJob> logger)
    : VenuePollJob(market, venues, logger)
{
    /// <inheritdoc />
    protected override Task PollAsync(Venue venue, CancellationToken cancellationToken) => poller.PollBarsAsync(venue, cancellationToken);
}

/// <summary>Deletes stored series older than <see cref="MarketOptions.Retention"/> (hourly).</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(IServiceScopeFactory scopes, IOptions<MarketOptions> options, TimeProvider time, ILogger<RetentionJob> logger) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await PruneAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.PollFailed(ex, "all venues", nameof(RetentionJob));
        }
    }

    /// <summary>Deletes what is past retention; returns the number of rows removed.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        var rows = await db.Tickers.Where(r => r.Time < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false)
            + await db.SpotTickers.Where(r => r.Time < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false)
            + await db.OpenInterest.Where(r => r.Time < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false)
            + await db.Books.Where(r => r.Time < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false)
            + await db.Bars.Where(r => r.OpenTime < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (rows > 0) logger.RetentionApplied(rows, cutoff);
        return rows;
    }
}
