using System.Collections.Frozen;

namespace PerpGuard.Bot.Commands;

/// <summary>A command's documentation: what <c>/help</c> shows and what error messages quote.</summary>
/// <param name="Name">Name without the slash.</param>
/// <param name="Aliases">Other names that run it.</param>
/// <param name="Usage">Form, e.g. <c>/remove &lt;id&gt;</c>.</param>
/// <param name="Summary">One line.</param>
/// <param name="Examples">Complete commands that work.</param>
/// <param name="Notes">Extra lines for <c>/help &lt;command&gt;</c>.</param>
public sealed record CommandSpec(string Name, string[] Aliases, string Usage, string Summary, string[] Examples, string[] Notes)
{
    /// <summary>
    /// The command's arguments as typed fields, in the order the text form takes them: what platforms with forms
    /// (Discord slash commands) offer, and what <see cref="CommandCatalog.Compose"/> turns back into the text form.
    /// </summary>
    public IReadOnlyList<CommandParameter> Parameters { get; init; } = [];

    /// <summary>
    /// The answer shows nothing of the sender's account (positions, alerts, settings), so it may go to a group chat;
    /// other commands answer in the sender's private chat.
    /// </summary>
    public bool SafeInGroups { get; init; }
}

/// <summary>What kind of value a <see cref="CommandParameter"/> takes.</summary>
public enum ParameterKind
{
    /// <summary>Free text.</summary>
    Text,
    /// <summary>A number (quantity, price, leverage).</summary>
    Number,
    /// <summary>A whole number (an id, a count).</summary>
    WholeNumber,
    /// <summary>One of <see cref="CommandParameter.Choices"/>.</summary>
    Choice,
    /// <summary>A perpetual symbol in any spelling (platforms may suggest known ones).</summary>
    Symbol,
}

/// <summary>One argument of a command as a typed field.</summary>
/// <param name="Name">Field name: lower case, digits and <c>_</c>.</param>
/// <param name="Kind">What it takes.</param>
/// <param name="Description">One line, at most 100 characters.</param>
/// <param name="Required">Whether the command needs it.</param>
public sealed record CommandParameter(string Name, ParameterKind Kind, string Description, bool Required = false)
{
    /// <summary>Written before the value in the text form: <c>@</c> (entry), <c>margin</c>; or glued to it: <c>x</c> (leverage).</summary>
    public string? Prefix { get; init; }
    /// <summary>Whether <see cref="Prefix"/> is glued to the value (<c>x20</c>) rather than a word before it (<c>margin 100</c>).</summary>
    public bool Glued { get; init; }
    /// <summary>The values a <see cref="ParameterKind.Choice"/> accepts.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];
}

/// <summary>Every chat command, its aliases, and the closest-match suggestion for typos.</summary>
public static class CommandCatalog
{
    /// <summary>The arguments of <c>/add</c> and <c>/liq</c>.</summary>
    public const string PositionForm = "[venue] <symbol> <long|short> <qty> @ <entry> x<leverage> [isolated|cross] [margin <amount>] [wallet <amount>] [mmr <rate>] [label <text>]";

    private static readonly string[] VenueNames = ["binance", "bybit", "hyperliquid", "okx"];

    // The arguments of /add and /liq, in their text order.
    private static readonly CommandParameter[] PositionParameters =
    [
        new("venue", ParameterKind.Choice, "Venue (default: yours, /settings venue)") { Choices = VenueNames },
        new("symbol", ParameterKind.Symbol, "Perpetual, any spelling: BTC, ETHUSDT, BTC-USDT-SWAP", Required: true),
        new("side", ParameterKind.Choice, "long or short", Required: true) { Choices = ["long", "short"] },
        new("qty", ParameterKind.Number, "Quantity in coins (contracts for inverse)", Required: true),
        new("entry", ParameterKind.Number, "Entry price", Required: true) { Prefix = "@" },
        new("leverage", ParameterKind.Number, "Leverage, e.g. 20", Required: true) { Prefix = "x", Glued = true },
        new("mode", ParameterKind.Choice, "Margin mode (default isolated)") { Choices = ["isolated", "cross"] },
        new("margin", ParameterKind.Number, "Isolated margin if you added some") { Prefix = "margin" },
        new("wallet", ParameterKind.Number, "Cross wallet balance") { Prefix = "wallet" },
        new("mmr", ParameterKind.Text, "Maintenance rate for a symbol without tiers, e.g. 0.5%") { Prefix = "mmr" },
        new("label", ParameterKind.Text, "Your label for it") { Prefix = "label" },
    ];

    /// <summary>The documented commands, in <c>/help</c> order.</summary>
    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        new("start", [], "/start", "Welcome and a quick start.", ["/start"], []) { SafeInGroups = true },
        new("help", [], "/help [command]", "Every command, or one command in detail.", ["/help", "/help add"], []) { SafeInGroups = true, Parameters = [new("command", ParameterKind.Text, "A command to explain, e.g. add")] },
        new("add", [], "/add " + PositionForm, "Track a position; PerpGuard computes its liquidation the way the venue does.",
            ["/add binance BTCUSDT long 0.5 @ 60000 x20", "/add BTC long 0.5 60000 20x", "/add bybit ethusdt short 3 @ 3,150 x10", "/add okx BTC-USDT-SWAP long 1.5 @ 61.5k x25 cross wallet 20k label swing"],
            [
                "venue: binance, bybit, hyperliquid or okx; left out, your default venue (/settings venue).",
                "symbol: any spelling: BTC, btcusdt, BTC-USDT-SWAP, BTCUSD_PERP (USD-quoted means inverse, qty in contracts).",
                "Numbers as you write them: 60,000 · 1.5k · 2M. Leverage: x20 or 20x. Isolated is the default.",
                "margin: isolated margin if you added some (default notional ÷ leverage). wallet: the cross wallet balance.",
                "mmr: maintenance rate for a symbol without built-in tiers, e.g. mmr 0.5%.",
            ]) { Parameters = PositionParameters },
        new("positions", ["pos"], "/positions", "Every position with its liquidation price and distance.", ["/positions", "/pos"], []),
        new("risk", [], "/risk [id|symbol]", "The full risk card: liquidation, bankruptcy, margins, distance, funding, hit chance, nearby clusters and cascade risk.", ["/risk", "/risk 3", "/risk BTC"], []) { Parameters = [new("position", ParameterKind.Text, "A position id (3) or a symbol (BTC); left out, all")] },
        new("clusters", ["map", "heatmap"], "/clusters [venue] <symbol>", "Estimated liquidation clusters around price as a ladder, with your liquidation prices marked.",
            ["/clusters BTC", "/clusters binance ETHUSDT"],
            [
                "An estimate: built from stored candles, open interest and taker flow over a 5/10/25/50/100x leverage mix, not from anyone's real positions.",
                "Short liquidations sit above price (▲), long liquidations below (▼); ◀#3 marks your position #3's liquidation price.",
            ]) { Parameters = [PositionParameters[0], PositionParameters[1]] },
        new("rules", [], "/rules", "The invalidation rules in force for your symbols: state, last firing, and the numbers behind it.", ["/rules"], []),
        new("rule", [], "/rule add <R1..R5|support> [venue] <symbol> [price] [name=value ...] · /rule remove <id> · /rule presets [symbol]",
            "Add, remove or preset invalidation rules.",
            ["/rule add support BTC 100000", "/rule add R1 BTC r=0.85", "/rule add R2 binance ETHUSDT fHi=0.0004", "/rule presets BTC", "/rule remove 1"],
            [
                "R1: open interest rebuilds to pre-flush levels while price fails to reclaim the highs.",
                "R2: funding stays hot without spot-led demand.  R3 (support): a key level is lost on 1h or 15m closes.",
                "R4: basis (premium) tightens into strength.  R5: perp volume spikes while spot stays calm.",
                "presets adds R1 to R5 at their defaults for a symbol (or every symbol you hold), R3 on the latest 7-day swing low.",
            ])
        {
            Parameters =
            [
                new("action", ParameterKind.Choice, "add, remove or presets", Required: true) { Choices = ["add", "remove", "presets"] },
                new("details", ParameterKind.Text, "add: R1..R5|support [venue] symbol [price] [name=value]; remove: id; presets: [symbol]"),
            ],
        },
        new("liq", ["calc"], "/liq " + PositionForm + " [mark <price>]", "One-off calculation; nothing is saved.",
            ["/liq binance BTCUSDT long 0.5 @ 60000 x20", "/liq bybit ETH short 3 @ 3150 x10 mark 3100"], [])
        {
            SafeInGroups = true,
            Parameters = [.. PositionParameters, new("mark", ParameterKind.Number, "Mark price to measure from (default: live)") { Prefix = "mark" }],
        },
        new("edit", [], "/edit <id> <field> <value>", "Change one field of a position.",
            ["/edit 3 qty 0.75", "/edit 3 entry 59,500", "/edit 3 leverage x10", "/edit 3 label none"],
            ["Fields: qty, entry, leverage, side, mode (isolated|cross), margin, wallet, mmr, label. 'none' clears margin, wallet, mmr or label."])
        {
            Parameters =
            [
                new("id", ParameterKind.WholeNumber, "Position id (/positions)", Required: true),
                new("field", ParameterKind.Choice, "What to change", Required: true) { Choices = ["qty", "entry", "leverage", "side", "mode", "margin", "wallet", "mmr", "label"] },
                new("value", ParameterKind.Text, "The new value ('none' clears margin, wallet, mmr or label)", Required: true),
            ],
        },
        new("remove", ["rm", "delete", "del"], "/remove <id>", "Stop tracking a position.", ["/remove 3"], []) { Parameters = [new("id", ParameterKind.WholeNumber, "Position id (/positions)", Required: true)] },
        new("settings", ["set"], "/settings [name] [value]", "Show every setting in effect, or change one.",
            ["/settings", "/settings timezone Europe/Berlin", "/settings venue bybit", "/settings alert_levels 20% 10% 5% 2%", "/settings quiet_hours 23:00-07:00"],
            [
                "timezone: IANA name (Europe/Berlin) or offset (UTC+2).",
                "venue: default venue for /add and /liq.",
                "alert_levels: distances to liquidation that alert, most distant first (default 20% 10% 5% 2%).",
                "hit_chance: alert when the chance of touching liquidation within 24h reaches it (default 10%).",
                "funding_share: alert when 24h funding exceeds this share of margin (default 5%).",
                "quiet_hours: HH:MM-HH:MM in your time zone, or off. quiet_critical: on|off, whether critical alerts break through.",
                "daily_cap: non-critical alerts per day before the rest come as hourly summaries (default 20); critical ones are never capped.",
            ])
        {
            Parameters =
            [
                new("name", ParameterKind.Choice, "The setting to change (left out: show all)")
                    { Choices = ["timezone", "venue", "alert_levels", "hit_chance", "funding_share", "quiet_hours", "quiet_critical", "daily_cap"] },
                new("value", ParameterKind.Text, "Its new value, e.g. Europe/Berlin, 20% 10% 5% 2%, 23:00-07:00"),
            ],
        },
        new("alerts", ["history"], "/alerts [count]", "Your recent alerts: what fired, when, why, and whether it was sent, held or suppressed.", ["/alerts", "/alerts 30"], []) { Parameters = [new("count", ParameterKind.WholeNumber, "How many (default 10)")] },
        new("snooze", [], "/snooze <alert id> <duration>", "Hold one alert's repeats for 1h, 4h or 24h; an escalation still comes through.", ["/snooze 17 1h", "/snooze 17 24h"],
            ["The id is on every alert and in /alerts. Snoozing covers the alert's position and kind (or rule), not the others."])
        {
            Parameters =
            [
                new("alert", ParameterKind.WholeNumber, "Alert id (on every alert, and in /alerts)", Required: true),
                new("duration", ParameterKind.Choice, "For how long", Required: true) { Choices = ["1h", "4h", "24h"] },
            ],
        },
        new("mute", [], "/mute <duration> · /mute <symbol> [duration]", "Silence all push alerts for a while (at most 30 days), or one symbol on every venue.", ["/mute 2h", "/mute BTC", "/mute ETH 24h"],
            ["Muted alerts are not sent but stay in /alerts, marked muted."])
        {
            Parameters =
            [
                new("symbol", ParameterKind.Symbol, "One asset on every venue (left out: all alerts)"),
                new("duration", ParameterKind.Text, "30m, 2h, 1d (at most 30 days)"),
            ],
        },
        new("unmute", [], "/unmute [symbol]", "Resume all push alerts (and every muted symbol), or one symbol.", ["/unmute", "/unmute BTC"], [])
            { Parameters = [new("symbol", ParameterKind.Symbol, "One asset (left out: everything)")] },
        new("stress", [], "/stress [btc|all|<symbol>] <move%> [<symbol> <move%> ...]", "Shock your positions together: who is liquidated, in what order, what is lost, and the move that kills each.",
            ["/stress", "/stress btc -10%", "/stress all -5%", "/stress ETH -20% SOL -30%"],
            [
                "btc: every position moves by its beta to BTC (estimated from 7 days of stored 5-minute returns on its venue, shown).",
                "all: every position moves the same. <symbol> <move> pairs: only those assets move.",
                "Each venue is one account: its cross positions share one wallet, so one position's loss eats the others' margin.",
            ])
        {
            Parameters =
            [
                new("target", ParameterKind.Text, "btc, all, or a symbol (default btc)"),
                new("move", ParameterKind.Text, "The move, e.g. -10% (default -10%)"),
                new("more", ParameterKind.Text, "More symbol/move pairs, e.g. SOL -30%"),
            ],
        },
        new("portfolio", ["account"], "/portfolio", "Each venue account: cross margin, exposure, the BTC moves that start liquidations, L-VaR, and 24 h liquidation chances.",
            ["/portfolio"], ["24 h chances resample the stored 5-minute moves of all your assets together (fat tails and correlation kept), 20,000 paths, fixed seed."]),
        new("status", ["version", "ping"], "/status", "Version, uptime and market-data freshness per venue.", ["/status"], []),
    ];

    private static readonly FrozenDictionary<string, CommandSpec> ByName =
        All.SelectMany(c => c.Aliases.Prepend(c.Name).Select(n => (n, c))).ToFrozenDictionary(x => x.n, x => x.c, StringComparer.Ordinal);

    /// <summary>
    /// The text form of a command from its fields (a Discord slash command's options): the values in the command's own
    /// order, each after its prefix. Unknown field names are ignored; the router validates the result as if typed.
    /// </summary>
    public static string Compose(CommandSpec spec, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        var parts = new List<string> { "/" + spec.Name };
        foreach (var p in spec.Parameters)
        {
            if (!values.TryGetValue(p.Name, out var value) || string.IsNullOrWhiteSpace(value)) continue;
            value = value.Trim();
            if (p.Prefix is null) parts.Add(value);
            else if (p.Glued) parts.Add(p.Prefix + value);
            else parts.Add(p.Prefix + " " + value);
        }
        return string.Join(' ', parts);
    }

    /// <summary>Finds a command by name or alias (lower-case, no slash).</summary>
    public static bool TryFind(string name, out CommandSpec spec) => ByName.TryGetValue(name, out spec!);

    /// <summary>The command (or alias) closest to a mistyped name, or null when nothing is close.</summary>
    public static string? Suggest(string name)
    {
        if (name.Length == 0) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in ByName.Keys.Order(StringComparer.Ordinal))
        {
            var d = candidate.StartsWith(name, StringComparison.Ordinal) && name.Length >= 2 ? 0 : Distance(name, candidate);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        var limit = Math.Max(1, Math.Min(3, name.Length / 3));
        return bestDistance <= limit && best is not null ? ByName[best].Name : null;
    }

    // Optimal string alignment distance: a swapped pair of letters ("posiitons" → one edit) counts once.
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3) return int.MaxValue;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
