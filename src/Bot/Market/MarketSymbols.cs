using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market;

/// <summary>What to poll: every symbol a user holds or watches, plus the configured watchlist, in each venue's spelling.</summary>
public sealed class MarketSymbols(IServiceScopeFactory scopes, IOptions<MarketOptions> options)
{
    /// <summary>The instruments to poll on <paramref name="venue"/>, distinct by native symbol, in a stable order.</summary>
    public async Task<IReadOnlyList<Instrument>> ForVenueAsync(Venue venue, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        var held = await db.Positions.Where(p => p.Venue == venue).Select(p => p.Symbol).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        var watched = await db.Watches.Where(w => w.Venue == venue).Select(w => w.Symbol).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        var listed = options.Value.Watchlist
            .Select(e => TryParseEntry(e, out var key) ? key : default)
            .Where(k => k.Symbol is not null && k.Venue == venue).Select(k => k.Symbol);
        var instruments = new Dictionary<string, Instrument>(StringComparer.Ordinal);
        foreach (var text in held.Concat(watched).Concat(listed))
            if (VenueSymbols.TryResolve(venue, text, out var instrument)) instruments.TryAdd(instrument.Symbol, instrument);
        return [.. instruments.Values.OrderBy(i => i.Symbol, StringComparer.Ordinal)];
    }

    /// <summary>Parses a watchlist entry, <c>venue:symbol</c>, into the venue's native symbol.</summary>
    public static bool TryParseEntry(string? entry, out MarketKey key)
    {
        key = default;
        var colon = entry?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0) return false;
        if (!VenueRules.TryParseVenue(entry![..colon], out var venue) || !VenueSymbols.TryResolve(venue, entry[(colon + 1)..], out var instrument)) return false;
        key = new MarketKey(venue, instrument.Symbol);
        return true;
    }
}
