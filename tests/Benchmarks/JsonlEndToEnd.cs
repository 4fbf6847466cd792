using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using PerpGuard.Bot.Cli;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary>
/// <c>calc --jsonl</c> end to end: 1,000,000 request lines (UTF-8, in memory) through <c>JsonlCalculator</c> into a
/// byte-counting sink. One operation is one line, so Op/s is lines per second. Target: ≥ 500,000 lines/s.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class JsonlEndToEnd
{
    /// <summary>Lines per invocation.</summary>
    public const int LineCount = 1_000_000;

    private static readonly (Venue Venue, string Name, string[] Symbols)[] Venues =
    [
        (Venue.Binance, "binance", ["BTCUSDT", "ETHUSDT"]),
        (Venue.Bybit, "bybit", ["BTCUSDT"]),
        (Venue.Hyperliquid, "hyperliquid", ["BTC", "ETH"]),
        (Venue.Okx, "okx", ["BTC-USDT-SWAP", "ETH-USDT-SWAP"]),
    ];

    private byte[] _input = [];
    private RiskCalculator _calculator = null!;

    /// <summary>Generates the lines and checks one pass (lines out, share of errors).</summary>
    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// tier catalog: {BenchData.CatalogDescription}");
        _calculator = BenchData.Calculator;
        _input = Generate(LineCount, BenchData.Seed + 4);

        using var output = new MemoryStream();
        using var input = new MemoryStream(_input, writable: false);
        new JsonlCalculator(_calculator).RunAsync(input, output, TextWriter.Null, NullLogger.Instance, CancellationToken.None)
            .GetAwaiter().GetResult();
        var text = output.GetBuffer().AsSpan(0, (int)output.Length);
        var lines = text.Count((byte)'\n');
        var ok = CountOf(text, "\"error\":null"u8);
        Console.WriteLine($"// input {_input.Length:N0} bytes, {LineCount:N0} lines; output {text.Length:N0} bytes, {lines:N0} lines, {lines - ok:N0} with error");
        var shown = 0;
        foreach (var line in Encoding.UTF8.GetString(text).Split('\n'))
        {
            if (line.Length == 0 || line.Contains("\"error\":null", StringComparison.Ordinal)) continue;
            Console.WriteLine($"// e.g. {(line.Length > 220 ? line[..220] : line)}");
            if (++shown == 6) break;
        }
        if (lines != LineCount) throw new InvalidOperationException($"Expected {LineCount} response lines, got {lines}.");
    }

    /// <summary>One million lines in, one million responses out.</summary>
    [Benchmark(OperationsPerInvoke = LineCount)]
    public async Task<long> MillionLines()
    {
        using var input = new MemoryStream(_input, writable: false);
        using var output = new CountingStream();
        await new JsonlCalculator(_calculator).RunAsync(input, output, TextWriter.Null, NullLogger.Instance, CancellationToken.None);
        return output.Count;
    }

    /// <summary>
    /// The same million lines through the built <c>perpguard</c> executable: process start, host, stdin pipe in,
    /// stdout pipe out. This is the figure a script sees.
    /// </summary>
    [Benchmark(OperationsPerInvoke = LineCount)]
    public async Task<long> MillionLinesThroughTheExecutable()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "perpguard.dll"));
        info.ArgumentList.Add("calc");
        info.ArgumentList.Add("--jsonl");
        using var process = System.Diagnostics.Process.Start(info)!;
        using var output = new CountingStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(output);
        var drainErr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(_input);
        process.StandardInput.Close();
        await copyOut;
        await drainErr;
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Count : throw new InvalidOperationException($"perpguard exited with {process.ExitCode}");
    }

    private static int CountOf(ReadOnlySpan<byte> text, ReadOnlySpan<byte> value)
    {
        var count = 0;
        for (int i; (i = text.IndexOf(value)) >= 0; text = text[(i + value.Length)..]) count++;
        return count;
    }

    /// <summary>
    /// A realistic mix: the four venues with their BTC/ETH linear tables, 80% isolated (a third with explicit
    /// margin) and 20% cross (half with another symbol, some with a hedge leg), marks, funding rates, volatility and
    /// horizons on part of the lines, and 1% malformed (truncated, unknown field, wrong type, not JSON).
    /// </summary>
    internal static byte[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var all = new ArrayBufferWriter<byte>(count * 220);
        var scratch = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(scratch);
        for (var i = 0; i < count; i++)
        {
            scratch.ResetWrittenCount();
            json.Reset(scratch);
            var malformed = random.NextDouble() < 0.01 ? random.Next(4) : -1;
            if (malformed == 3)
            {
                all.Write("venue=binance side=long entry=60000 qty=0.5 leverage=20\n"u8);
                continue;
            }
            WriteRequest(json, random, i, malformed);
            json.Flush();
            var bytes = scratch.WrittenSpan;
            if (malformed == 0) bytes = bytes[..(bytes.Length / 2)];
            all.Write(bytes);
            all.Write("\n"u8);
        }
        return all.WrittenSpan.ToArray();
    }

    private static void WriteRequest(Utf8JsonWriter json, Random random, int index, int malformed)
    {
        var (venue, venueName, symbols) = Venues[PickVenue(random)];
        var symbol = symbols[random.Next(symbols.Length)];
        var btc = symbol.StartsWith("BTC", StringComparison.Ordinal);
        var side = random.Next(2) == 0 ? "long" : "short";
        var entry = btc ? Math.Round(BenchData.Uniform(random, 60_000, 110_000), 1) : Math.Round(BenchData.Uniform(random, 2_000, 4_500), 2);
        var notional = BenchData.LogUniform(random, 50, 5_000_000);
        var qty = btc ? Math.Max(0.001, Math.Round(notional / entry, 3)) : Math.Max(0.01, Math.Round(notional / entry, 2));
        var maxLeverage = Math.Min(100, BenchData.Table(venue, symbol).At(ContractType.Linear, qty, 1, entry).MaxLeverage);
        var leverage = random.Next(2, (int)Math.Floor(maxLeverage) + 1);
        var cross = random.NextDouble() < 0.2;

        json.WriteStartObject();
        json.WriteString("id"u8, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"r{index}"));
        json.WriteString("venue"u8, venueName);
        json.WriteString("symbol"u8, symbol);
        if (malformed != 2 || random.Next(2) == 0) json.WriteString("side"u8, side);
        json.WriteNumber("entry"u8, entry);
        if (malformed == 2) json.WriteString("qty"u8, "abc"); else json.WriteNumber("qty"u8, qty);
        var initial = qty * entry / leverage;
        if (!cross)
        {
            json.WriteNumber(malformed == 1 ? "levrage"u8 : "leverage"u8, leverage);
            if (random.NextDouble() < 0.33) json.WriteNumber("margin"u8, Math.Round(initial * BenchData.Uniform(random, 1, 1.6), 2));
        }
        else
        {
            json.WriteString("margin_mode"u8, "cross");
            if (random.NextDouble() < 0.7) json.WriteNumber(malformed == 1 ? "levrage"u8 : "leverage"u8, leverage);
            json.WriteNumber("wallet_balance"u8, Math.Round(initial * BenchData.Uniform(random, 1.5, 5), 2));
            var others = random.NextDouble();
            if (others < 0.5) WriteOther(json, random, venue, btc, symbol, hedge: others < 0.05, qty, entry, notional);
        }
        if (random.NextDouble() < 0.6) json.WriteNumber("mark"u8, Math.Round(entry * BenchData.Uniform(random, 0.97, 1.03), btc ? 1 : 2));
        var funding = random.NextDouble() < 0.4;
        if (funding)
        {
            json.WriteNumber("funding_rate"u8, Math.Round(BenchData.Uniform(random, -0.0003, 0.0006), 6));
            if (random.NextDouble() < 0.2) json.WriteNumber("funding_interval_hours"u8, venue == Venue.Hyperliquid ? 1 : 4);
        }
        if (random.NextDouble() < 0.3)
        {
            json.WriteNumber("volatility"u8, Math.Round(BenchData.Uniform(random, 0.3, 1.2), 2));
            json.WriteNumber("horizon_hours"u8, random.Next(1, 169));
        }
        else if (funding && random.NextDouble() < 0.5)
        {
            json.WriteNumber("horizon_hours"u8, random.Next(1, 169));
        }
        json.WriteEndObject();
    }

    private static void WriteOther(Utf8JsonWriter json, Random random, Venue venue, bool btc, string symbol, bool hedge, double qty, double entry,
        double notional)
    {
        json.WriteStartArray("other_positions"u8);
        json.WriteStartObject();
        if (hedge)
        {
            json.WriteString("symbol"u8, symbol);
            json.WriteString("side"u8, random.Next(2) == 0 ? "long" : "short");
            json.WriteNumber("qty"u8, Math.Max(btc ? 0.001 : 0.01, Math.Round(qty * BenchData.Uniform(random, 0.2, 0.7), btc ? 3 : 2)));
            json.WriteNumber("entry"u8, Math.Round(entry * BenchData.Uniform(random, 0.97, 1.03), btc ? 1 : 2));
        }
        else
        {
            var other = venue switch
            {
                Venue.Hyperliquid => btc ? "ETH" : "BTC",
                Venue.Okx => btc ? "ETH-USDT-SWAP" : "BTC-USDT-SWAP",
                _ => btc ? "ETHUSDT" : "BTCUSDT",
            };
            var otherEntry = btc ? BenchData.Uniform(random, 2_000, 4_500) : BenchData.Uniform(random, 60_000, 110_000);
            json.WriteString("symbol"u8, other);
            json.WriteString("side"u8, random.Next(2) == 0 ? "long" : "short");
            json.WriteNumber("qty"u8, Math.Max(btc ? 0.01 : 0.001, Math.Round(notional * BenchData.Uniform(random, 0.1, 0.5) / otherEntry, btc ? 2 : 3)));
            json.WriteNumber("entry"u8, Math.Round(otherEntry, 1));
            json.WriteNumber("mark"u8, Math.Round(otherEntry * BenchData.Uniform(random, 0.99, 1.01), 1));
            if (venue == Venue.Bybit) json.WriteNumber("mmr"u8, 0.005); // exercises the explicit-bracket path for other positions
        }
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static int PickVenue(Random random) => random.NextDouble() switch
    {
        < 0.35 => 0,
        < 0.55 => 1,
        < 0.80 => 2,
        _ => 3,
    };

    /// <summary>A write-only sink that counts bytes (the cost of a real stdout is not part of the measurement).</summary>
    private sealed class CountingStream : Stream
    {
        public long Count { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Count += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count += count;
            return Task.CompletedTask;
        }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
