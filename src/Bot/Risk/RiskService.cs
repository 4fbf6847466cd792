using Microsoft.Extensions.Options;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Risk;

/// <summary>Computes <see cref="SymbolRisk"/> for the chat commands from the live state and the stored series.</summary>
public sealed class RiskService(MarketState market, ClusterMaps maps, IOptions<RiskOptions> options)
{
    /// <summary>The options in effect.</summary>
    public RiskOptions Options => options.Value;

    /// <summary>The risk view of one symbol now.</summary>
    public async Task<SymbolRisk> AnalyzeAsync(PerpGuardDbContext db, MarketKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var view = market.View(key);
        var window = o.VolatilityWindow > TimeSpan.FromHours(1) ? o.VolatilityWindow : TimeSpan.FromHours(1);
        var recent = await MarketHistory.BarsAsync(db, key, MarketKind.Perp, now - window - TimeSpan.FromMinutes(5), now, cancellationToken).ConfigureAwait(false);
        return await maps.ReadAsync(db, key, now, (map, gap) => SymbolRisk.Build(key, now, view, map, gap, recent, o), cancellationToken).ConfigureAwait(false);
    }
}
