using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PerpGuard.Core.Calculator;

namespace PerpGuard.Bot.Cli;

/// <summary>
/// The scripting interface: one JSON request per input line, one JSON response per output line, in order. A bad
/// line gets a response whose <c>error</c> names the field, and processing goes on; blank lines are skipped.
/// Works on UTF-8 bytes end to end (pipe in, Utf8JsonWriter out). The complete lines of each read buffer are split
/// into one chunk per core, computed in parallel into per-chunk buffers, and written back in input order.
/// </summary>
internal sealed class JsonlCalculator(RiskCalculator calculator)
{
    private const int InboxBytes = 8 << 20;
    private const int LinesPerChunk = 512; // below this a batch is not worth a thread hop
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText LiquidationName = JsonEncodedText.Encode("liquidation_price");
    private static readonly JsonEncodedText BankruptcyName = JsonEncodedText.Encode("bankruptcy_price");
    private static readonly JsonEncodedText MaintenanceName = JsonEncodedText.Encode("maintenance_margin");
    private static readonly JsonEncodedText InitialName = JsonEncodedText.Encode("initial_margin");
    private static readonly JsonEncodedText DistanceName = JsonEncodedText.Encode("distance");
    private static readonly JsonEncodedText FundingName = JsonEncodedText.Encode("funding_cost");
    private static readonly JsonEncodedText HitName = JsonEncodedText.Encode("p_hit");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");

    private readonly List<ReadOnlySequence<byte>> _batch = [];
    private Chunk[] _chunks = [];

    /// <summary>Processes <paramref name="input"/> to <paramref name="output"/>; 0 unless stdin cannot be read.</summary>
    public async Task<int> RunAsync(Stream input, Stream output, TextWriter error, ILogger logger, CancellationToken cancellationToken)
    {
        // A pump copies stdin into a deep in-memory pipe while batches are computed: stdin pipes deliver at most
        // 64 KB per read, so each batch takes everything that arrived meanwhile and reading overlaps computing.
        var inbox = new Pipe(new PipeOptions(pauseWriterThreshold: InboxBytes, resumeWriterThreshold: InboxBytes / 2,
            minimumSegmentSize: 64 * 1024, useSynchronizationContext: false));
        var pump = PumpAsync(input, inbox.Writer, cancellationToken);
        var reader = inbox.Reader;
        var writer = PipeWriter.Create(output, new StreamPipeWriterOptions(minimumBufferSize: 256 * 1024, leaveOpen: true));
        _chunks = new Chunk[Math.Max(1, Environment.ProcessorCount)];
        for (var i = 0; i < _chunks.Length; i++) _chunks[i] = new Chunk();
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(cancellationToken);
                }
                catch (IOException ex)
                {
                    logger.StdinUnreadable(ex);
                    await error.WriteLineAsync($"error: could not read standard input: {ex.Message}");
                    return 1;
                }
                var buffer = result.Buffer;
                _batch.Clear();
                while (TryReadLine(ref buffer, out var line)) _batch.Add(line);
                if (result.IsCompleted && !buffer.IsEmpty)
                {
                    _batch.Add(buffer);
                    buffer = buffer.Slice(buffer.End);
                }
                ProcessBatch(writer, cancellationToken);
                reader.AdvanceTo(buffer.Start, buffer.End);
                // Flush once per read: bulk input reads large buffers, and a script that writes one line and
                // waits for its answer gets it at once.
                await writer.FlushAsync(cancellationToken);
                if (result.IsCompleted) break;
            }
            await writer.FlushAsync(cancellationToken);
        }
        finally
        {
            await reader.CompleteAsync();
            await pump;
            await writer.CompleteAsync();
            foreach (var chunk in _chunks) chunk.Dispose();
        }
        if (logger.IsEnabled(LogLevel.Debug)) logger.JsonlFinished(_chunks.Sum(c => c.Lines), _chunks.Sum(c => c.Errors));
        return 0;
    }

    private static async Task PumpAsync(Stream input, PipeWriter inbox, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(inbox.GetMemory(64 * 1024), cancellationToken);
                if (read == 0) break;
                inbox.Advance(read);
                if ((await inbox.FlushAsync(cancellationToken)).IsCompleted) break; // the reader stopped
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            failure = ex; // surfaces in the reader's ReadAsync
        }
        await inbox.CompleteAsync(failure);
    }

    private void ProcessBatch(PipeWriter writer, CancellationToken cancellationToken)
    {
        var chunkCount = Math.Clamp(_batch.Count / LinesPerChunk, 1, _chunks.Length);
        var perChunk = (_batch.Count + chunkCount - 1) / chunkCount;
        if (chunkCount == 1)
        {
            ProcessRange(0, _batch.Count, _chunks[0]);
        }
        else
        {
            Parallel.For(0, chunkCount, new ParallelOptions { CancellationToken = cancellationToken },
                c => ProcessRange(c * perChunk, Math.Min(_batch.Count, (c + 1) * perChunk), _chunks[c]));
        }
        for (var c = 0; c < chunkCount; c++)
        {
            writer.Write(_chunks[c].Output.WrittenSpan);
            _chunks[c].Output.ResetWrittenCount();
        }
    }

    private void ProcessRange(int from, int to, Chunk chunk)
    {
        for (var i = from; i < to; i++) ProcessLine(_batch[i], chunk);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private void ProcessLine(ReadOnlySequence<byte> line, Chunk chunk)
    {
        if (line.IsSingleSegment)
        {
            ProcessLine(line.FirstSpan, chunk);
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent((int)line.Length);
        try
        {
            line.CopyTo(rented);
            ProcessLine(rented.AsSpan(0, (int)line.Length), chunk);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void ProcessLine(ReadOnlySpan<byte> line, Chunk chunk)
    {
        line = line.TrimEnd("\r"u8).Trim(" \t"u8);
        if (line.IsEmpty) return;
        chunk.Lines++;

        CalcRequest? request = null;
        string? problem, id = null;
        try
        {
            request = JsonSerializer.Deserialize(line, CalcJsonContext.Default.CalcRequest);
            problem = request is null ? "expected a JSON object with the position's fields, e.g. {\"venue\": \"bybit\", \"side\": \"long\", ...}" : null;
        }
        catch (JsonException ex)
        {
            problem = JsonErrors.Describe(line, ex, out id);
        }

        CalcReport? report = null;
        if (request is not null)
        {
            var outcome = calculator.Calculate(request);
            report = outcome.Report;
            problem = outcome.Error?.ToString();
        }
        if (problem is not null) chunk.Errors++;
        var json = chunk.Json;
        Write(json, request?.Id ?? id, report, problem);
        json.Flush();
        chunk.Output.Write("\n"u8);
        json.Reset(chunk.Output);
    }

    private static void Write(Utf8JsonWriter json, string? id, CalcReport? r, string? error)
    {
        json.WriteStartObject();
        if (id is null) json.WriteNull(IdName); else json.WriteString(IdName, id);
        Number(json, LiquidationName, r?.Liquidation.Value);
        Number(json, BankruptcyName, r?.Bankruptcy.Value);
        Number(json, MaintenanceName, r?.MaintenanceMargin);
        Number(json, InitialName, r?.InitialMargin);
        Number(json, DistanceName, r?.Distance);
        Number(json, FundingName, r?.Funding?.OverHorizon);
        Number(json, HitName, r?.HitProbability);
        if (error is null) json.WriteNull(ErrorName); else json.WriteString(ErrorName, error);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, JsonEncodedText name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    /// <summary>One core's share of a batch: its own output buffer and JSON writer, and its counts.</summary>
    private sealed class Chunk : IDisposable
    {
        public Chunk() => Json = new Utf8JsonWriter(Output, new JsonWriterOptions { SkipValidation = true });

        public ArrayBufferWriter<byte> Output { get; } = new(64 * 1024);
        public Utf8JsonWriter Json { get; }
        public long Lines { get; set; }
        public long Errors { get; set; }

        public void Dispose() => Json.Dispose();
    }
}

/// <summary>Turns System.Text.Json failures into messages a script author can act on.</summary>
internal static class JsonErrors
{
    /// <summary>
    /// Names the field (from the exception's JSON path) and shows a valid example; also recovers the request's
    /// <paramref name="id"/> when the line is JSON, so the error can be matched to its request.
    /// </summary>
    public static string Describe(ReadOnlySpan<byte> line, JsonException ex, out string? id)
    {
        using var doc = TryParse(line);
        id = doc is { RootElement.ValueKind: JsonValueKind.Object } && doc.RootElement.TryGetProperty("id", out var idElement)
            && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object)
            return $"not valid JSON ({FirstSentence(ex.Message)}); each line must be one JSON object, e.g. {{\"venue\": \"bybit\", \"symbol\": \"BTCUSDT\", \"side\": \"long\", \"entry\": 60000, \"qty\": 0.5, \"leverage\": 20}}";
        var unknown = FindUnknownField(doc.RootElement);
        if (unknown is not null)
            return $"{unknown}: unknown field; known fields are {string.Join(", ", CalcFields.Names)}";
        var field = FieldFromPath(ex.Path) ?? "(line)";
        var got = RawValue(doc.RootElement, field);
        var what = got is null ? "has the wrong type" : $"{got} is not valid here";
        return $"{field}: {what}. Example: \"{field}\": {CalcFields.Example(field)}";
    }

    private static JsonDocument? TryParse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FindUnknownField(JsonElement root)
    {
        foreach (var p in root.EnumerateObject())
        {
            if (!CalcFields.IsField(p.Name)) return p.Name;
            if (p.Name != "other_positions" || p.Value.ValueKind != JsonValueKind.Array) continue;
            var i = 0;
            foreach (var item in p.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                    foreach (var q in item.EnumerateObject())
                        if (!CalcFields.IsOtherPositionField(q.Name)) return $"other_positions[{i}].{q.Name}";
                i++;
            }
        }
        return null;
    }

    private static string? FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? null : field;
    }

    private static string? RawValue(JsonElement element, string field)
    {
        foreach (var part in field.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket >= 0 ? part[..bracket] : part;
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
            if (bracket < 0) continue;
            if (!int.TryParse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture, out var index)
                || element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength()) return null;
            element = element[index];
        }
        var raw = element.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
