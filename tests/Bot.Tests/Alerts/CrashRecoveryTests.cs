using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Tests.Cli;
using PerpGuard.Bot.Tests.Fakes;
using Xunit.Abstractions;

namespace PerpGuard.Bot.Tests.Alerts;

/// <summary>
/// The crash test: the real executable plays the oct10-flush replay (demo portfolio, alerts on the console) and is
/// killed (SIGKILL, no shutdown code runs) at random points, many times, on one database; a last run is left to drain
/// the outbox. Afterwards the messages the bot decided (outbox rows) and the messages that reached stdout must be the
/// same set, with at most one repeat per kill (the one message in flight between the channel accepting it and its row
/// being marked sent).
/// </summary>
/// <remarks>
/// <para>
/// Eight kills, their kinds and moments drawn from a seeded <see cref="Random"/> (the seed is in every assertion
/// message): four at a uniform point of the window from process start (migrations, demo sandbox, history load) to the
/// end of the tape, anchored on the "Replaying" log line so that a slow machine still kills during playback; one the
/// instant the k-th message of the run reaches stdout, in the dispatcher's window between the channel accepting a
/// message and its row being marked sent; the first kill the instant a message follows another within one dispatch
/// pass (it also guarantees that later runs restart on a history); and two mid-send, with the channel blocked (stdout
/// not read and filled with /help replies, like a chat API that hangs) and a decided alert waiting in it. After each
/// kill the test also fails at once, instead of hanging, if the kill left EF Core's migration lock behind.
/// </para>
/// <para>
/// How this test was checked to fail (local experiments on src, never committed): with AlertDispatcher marking the row
/// Sent and saving before calling the channel, it failed every time (3 of 3) with "decided but never printed": each
/// mid-send kill loses the message waiting in the blocked channel. With AlertDispatcher saving once after the whole
/// batch instead of after each message, a kill inside a pass repeats several messages and the kill-by-kill bound
/// fails, but only when a kill lands within the millisecond or two a pass takes (1 run of 5). Splitting the engine's
/// transaction is not seen here: if states and outbox rows commit apart, a replay deletes the alert states when it
/// starts, so an alert whose state was saved without its row is simply decided again; if rows commit before their
/// message is rendered, the window between the two commits is microseconds wide and no kill landed in it.
/// </para>
/// </remarks>
[Collection(CrashRecoveryRunsAlone.Name)]
public sealed partial class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20251010;
    private const int Kills = 8;
    private const double Speed = 3600;
    private const string Scenario = "oct10-flush";
    // 150 /help replies are about 200 KB: several times a pipe buffer (64 KB on Linux).
    private const int StallCommands = 150;
    // A message pending this long is waiting in the blocked channel (a dispatch pass takes milliseconds).
    private static readonly TimeSpan StallSettle = TimeSpan.FromMilliseconds(300);
    // Messages this close on stdout came from one dispatch pass (0–1 ms apart on a 2-core machine; passes are 14 ms or
    // more apart). On a slower machine fewer kills land inside a pass, which weakens the test but never breaks it.
    private static readonly TimeSpan BurstGap = TimeSpan.FromMilliseconds(10);

    // Generous bounds for a slow CI machine: they only stop a hung child, nothing is asserted about timing.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(1);

    private readonly string _directory = Directory.CreateDirectory(TestDirectory.NewPath()).FullName;

    private enum KillMode
    {
        /// <summary>The instant a message follows the previous one closely (one dispatch pass), from the k-th message on.</summary>
        Burst,
        /// <summary>A uniform point of the window process start → tape end.</summary>
        Timed,
        /// <summary>The instant the k-th message of the run reaches stdout.</summary>
        OnMessage,
        /// <summary>Mid-send: stdout stops being read until the channel blocks, and the kill comes while a message waits.</summary>
        Stalled,
    }

    private sealed record KillRecord(int Index, string Plan, double At, int PrintedThisRun, int Rows, int Pending, int Held, bool ExitedOnItsOwn)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"kill {Index}: {Plan}, at {At:0.00} s, {PrintedThisRun} printed in the run, {Rows} rows decided so far, {Pending} pending at the kill, {Held} held{(ExitedOnItsOwn ? ", EXITED BEFORE THE KILL" : "")}");
    }

    private sealed record AlertRow(long Id, string Status, bool IsDigest, long? ReleaseAt, long? DigestId);

    [Fact]
    [Trait("Category", "Crash")]
    public async Task Killed_at_random_points_and_restarted_the_replay_bot_delivers_every_decided_alert_with_at_most_one_duplicate_per_kill()
    {
        var database = Path.Combine(_directory, "replay.db");
        var header = ReplayScenario.Load(Scenario).Header;
        var tape = (header.End - header.PlayFrom) / Speed; // wall time from "Replaying" to the end of the tape
        var endMs = header.End.ToUnixTimeMilliseconds();
        var random = new Random(Seed);
        var runs = new List<string>(); // stdout of each run, the last one the final run
        var kills = new List<KillRecord>();
        var startup = TimeSpan.FromSeconds(5); // replaced by the measured time to "Replaying" after the first run
        var total = Stopwatch.StartNew();

        // The first kill leaves a history, inside a pass that sends several messages (only the first run, before the
        // daily cap of the demo user fills, has many); the order of the rest is shuffled by the seed.
        KillMode[] modes = [KillMode.Burst, .. Shuffle(random, [KillMode.Timed, KillMode.Timed, KillMode.Timed, KillMode.Timed, KillMode.OnMessage, KillMode.Stalled, KillMode.Stalled])];
        Assert.Equal(Kills, modes.Length);
        for (var i = 0; i < Kills; i++)
        {
            var mode = modes[i];
            var target = mode switch { KillMode.Burst => random.Next(2, 6), KillMode.OnMessage => random.Next(1, 5), _ => 0 };
            var fraction = random.NextDouble();
            using var child = new ReplayChild(database, _directory, target, mode == KillMode.Burst ? BurstGap : TimeSpan.MaxValue);
            string plan;
            switch (mode)
            {
                case KillMode.Burst:
                case KillMode.OnMessage:
                {
                    plan = mode == KillMode.Burst ? $"as a message follows another closely, from message {target} on" : $"as message {target} of the run appears";
                    // The child is killed from the stdout pump; if that moment never comes, at the tape's end.
                    if (!await child.WaitAsync(Task.WhenAny(child.Killed, child.Finished), StepTimeout) || !child.Killed.IsCompleted)
                        plan += " (not reached: killed at the end of the tape)";
                    break;
                }
                case KillMode.Stalled:
                {
                    // Like a chat API that hangs: replies to /help fill the stdout pipe while nobody reads it, so the
                    // alerts the dispatcher sends from then on wait inside the channel. The kill comes once an alert or
                    // digest decided after the stall began has stayed pending for a while (the dispatcher is waiting in
                    // the channel; a dispatcher that marks rows before sending shows none, and is killed at the end of
                    // the tape instead), plus up to half a second.
                    var into = fraction * 0.7 * tape;
                    var playing = await child.WaitAsync(child.Replaying, StepTimeout);
                    await Task.Delay(into);
                    var last = (await ReadAlertsAsync(database)).Select(r => r.Id).DefaultIfEmpty(0).Max();
                    child.PauseOutput();
                    await child.SendInputAsync(string.Concat(Enumerable.Repeat("/help\n", StallCommands)));
                    var clock = Stopwatch.StartNew();
                    var pendingSince = new Dictionary<long, TimeSpan>();
                    var waiting = await PollAsync(database, child, rows =>
                    {
                        var pending = rows.Where(r => r.Id > last && r.Status == "Pending").Select(r => r.Id).ToList();
                        foreach (var id in pendingSince.Keys.Except(pending).ToList()) pendingSince.Remove(id);
                        foreach (var id in pending) pendingSince.TryAdd(id, clock.Elapsed);
                        return pendingSince.Values.Any(since => clock.Elapsed - since >= StallSettle);
                    }, tape); // not "finished": while stdout is blocked, the child's log writes to stderr block too
                    var after = TimeSpan.FromSeconds(random.NextDouble() * 0.5);
                    plan = string.Create(CultureInfo.InvariantCulture,
                        $"stalled {into.TotalSeconds:0.00} s into the tape{(playing ? "" : " (never started playing)")}, killed {after.TotalSeconds:0.00} s after " +
                        $"{(waiting ? "a message waited in the channel" : "the tape ended (no message seen waiting)")}");
                    await Task.Delay(after);
                    break;
                }
                default:
                {
                    var window = startup + tape;
                    var at = fraction * window;
                    if (at < startup)
                    {
                        plan = string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds:0.00} s after start (startup ~{startup.TotalSeconds:0.0} s)");
                        await Task.Delay(at);
                    }
                    else
                    {
                        plan = string.Create(CultureInfo.InvariantCulture, $"{(at - startup).TotalSeconds:0.00} s into the tape");
                        if (!await child.WaitAsync(child.Replaying, StepTimeout)) plan += " (never started playing)";
                        await Task.Delay(at - startup);
                    }
                    break;
                }
            }
            await child.KillAsync(StepTimeout);
            if (child.ReplayingAt is { } measured) startup = measured;
            runs.Add(child.Stdout);
            var rows = await ReadAlertsAsync(database);
            var record = new KillRecord(i, plan, child.KilledAt, child.Messages, rows.Count, rows.Count(r => r.Status == "Pending"),
                rows.Count(r => r.Status == "Held"), child.ExitedOnItsOwn);
            kills.Add(record);
            output.WriteLine(record.ToString());
            Assert.False(child.ExitedOnItsOwn, $"seed {Seed}: the child exited before kill {i}:\n{child.Stderr}");
            // Fail now rather than hang: with a stale lock every later start waits forever (SqliteHistoryRepository
            // retries AcquireDatabaseLockAsync without end).
            Assert.False(await MigrationLockedAsync(database), $"seed {Seed}: {record}\nleft EF Core's SQLite migration lock (a row in __EFMigrationsLock) " +
                "behind, so every later start waits forever in MigrateAsync; the kill came while DatabaseMigrator held it (it calls MigrateAsync on every start)");
            Assert.True(child.ReplayingAt is not null || child.KilledAt < StepTimeout.TotalSeconds,
                $"seed {Seed}: the child did not start playing within {StepTimeout.TotalSeconds} s:\n{child.Stderr}");
        }

        // The last run is left alone: the tape plays to its end and the outbox drains, then stdin closes.
        List<AlertRow> final;
        int exitCode;
        string finalStderr;
        using (var child = new ReplayChild(database, _directory, killFrom: 0, burstGap: TimeSpan.MaxValue))
        {
            var finished = await child.WaitAsync(child.Finished, StepTimeout);
            var drained = false;
            var drain = Stopwatch.StartNew();
            while (finished && drain.Elapsed < DrainTimeout)
            {
                // Nothing left to send: no pending row and no held row whose digest is due by the end of the tape (the
                // clock stands still there). Checked twice a second apart, as a sweep may still be running.
                if (Drained(await ReadAlertsAsync(database), endMs))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                    if (Drained(await ReadAlertsAsync(database), endMs))
                    {
                        drained = true;
                        break;
                    }
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            output.WriteLine($"final run: tape finished {finished}, outbox drained {drained}, after {total.Elapsed.TotalSeconds:0} s in all");
            exitCode = await child.CloseInputAndWaitAsync(StepTimeout);
            runs.Add(child.Stdout);
            finalStderr = child.Stderr;
            final = await ReadAlertsAsync(database);
        }

        // Runs are parsed one by one: a line cut by a kill never joins the next run's first line.
        var printedByRun = runs.Select(r => MessageLine().Matches(r).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList()).ToList();
        var printed = printedByRun.SelectMany(ids => ids).ToList();
        var printedIds = printed.ToHashSet();
        // A message printed again in a later run was in flight at the kill that ended the run printing it (accepted by
        // the channel, not yet marked sent); within one run nothing may repeat.
        var inFlight = Enumerable.Range(0, kills.Count)
            .Select(i => printedByRun[i].Distinct().Count(id => printedByRun.Skip(i + 1).Any(later => later.Contains(id)))).ToList();
        var repeatsInRun = printedByRun.Select(ids => ids.Count - ids.Distinct().Count()).ToList();
        // The decided messages: an alert sent on its own (or still to be sent) and every digest. Held, digested and
        // suppressed rows are history, not messages of their own.
        var messages = final.Where(r => r.Status is "Sent" or "Pending" or "Failed").ToList();
        var messageIds = messages.Select(r => r.Id).ToHashSet();
        var duplicates = printed.Count - printedIds.Count;
        var repeated = printed.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{g.Key}×{g.Count()}").ToList();
        var summary = string.Join("\n", kills) +
            $"\nseed {Seed}: {kills.Count} kills, {messages.Count} messages decided ({messages.Count(r => r.IsDigest)} digests), {printed.Count} printed ({printedIds.Count} distinct, " +
            $"{duplicates} duplicates: {string.Join(", ", repeated)}; repeated after kill 0..{kills.Count - 1}: {string.Join(" ", inFlight)}); statuses {string.Join(", ", final.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}"))}";
        output.WriteLine(summary);
        string Why(string what) => $"{what}\n{summary}\nfinal run stderr:\n{finalStderr}";

        Assert.True(exitCode == 0, Why($"the last run exited with {exitCode}"));
        // 5. A restart really had history: some kill came after alerts were decided.
        Assert.True(kills.Any(k => k.Rows > 0), Why("no kill came after an alert was decided"));
        Assert.True(messages.Count > 0, Why("no message was decided"));
        // 1. Every decided message went out in the end.
        var stuck = final.Where(r => r.Status is "Pending" or "Failed").Select(r => $"{r.Id} {r.Status}").ToList();
        Assert.True(stuck.Count == 0, Why($"still pending or failed: {string.Join(", ", stuck)}"));
        // 2. Each of them reached stdout at least once.
        var lost = messageIds.Where(id => !printedIds.Contains(id)).Order().ToList();
        Assert.True(lost.Count == 0, Why($"decided but never printed: {string.Join(", ", lost)}"));
        // 3. Nothing reached stdout that was not decided as a message.
        var extra = printedIds.Where(id => !messageIds.Contains(id)).Order().ToList();
        Assert.True(extra.Count == 0, Why($"printed but not an outbox message: {string.Join(", ", extra)}"));
        // Alerts folded into a digest went out with it.
        var orphans = final.Where(r => r.Status == "Digested" && (r.DigestId is not { } digest || !messageIds.Contains(digest))).Select(r => r.Id).ToList();
        Assert.True(orphans.Count == 0, Why($"digested into a digest that is not a message: {string.Join(", ", orphans)}"));
        // 4. At most the one message in flight repeats per kill: in all, and kill by kill.
        Assert.True(duplicates <= kills.Count, Why($"{duplicates} duplicates for {kills.Count} kills"));
        Assert.True(inFlight.All(n => n <= 1), Why("a kill was followed by more than one repeated message"));
        Assert.True(repeatsInRun.All(n => n == 0), Why($"a message repeated within one run: {string.Join(" ", repeatsInRun)}"));
    }

    // Polls the database until the condition holds; gives up at the timeout, when the child is gone, or a moment after
    // the tape ended.
    private static async Task<bool> PollAsync(string database, ReplayChild child, Func<List<AlertRow>, bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        TimeSpan? finishedAt = null;
        while (waited.Elapsed < timeout && !child.HasExited && !(waited.Elapsed - finishedAt > TimeSpan.FromSeconds(1)))
        {
            if (condition(await ReadAlertsAsync(database))) return true;
            if (finishedAt is null && child.Finished.IsCompleted) finishedAt = waited.Elapsed;
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
        return false;
    }

    private static T[] Shuffle<T>(Random random, T[] items)
    {
        random.Shuffle(items);
        return items;
    }

    private static bool Drained(List<AlertRow> rows, long endMs) =>
        !rows.Any(r => r.Status == "Pending" || (r.Status == "Held" && r.ReleaseAt <= endMs));

    private static async Task<bool> MigrationLockedAsync(string database)
    {
        if (!File.Exists(database)) return false;
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0) return false;
        command.CommandText = "SELECT count(*) FROM \"__EFMigrationsLock\"";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
    }

    // Opened and closed for each look (no pooling), so the test never holds the file while a child runs.
    private static async Task<List<AlertRow>> ReadAlertsAsync(string database)
    {
        if (!File.Exists(database)) return [];
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync();
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Alerts'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0) return [];
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Status, Kind IS NULL, ReleaseAt, DigestId FROM Alerts ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AlertRow>();
        while (await reader.ReadAsync())
            rows.Add(new AlertRow(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        return rows;
    }

    // The id line every alert (AlertText) and every digest (AlertDispatcher.Digest) ends with, as PlainTextReply prints it.
    [GeneratedRegex(@"^  (?:Alert|Digest) +(\d+) · ", RegexOptions.Multiline)]
    private static partial Regex MessageLine();

    public void Dispose() => TestDirectory.Delete(_directory);

    /// <summary>
    /// One <c>perpguard --replay</c> child with stdin held open (so it keeps running), stdout and stderr read as they
    /// come (nothing lost at a kill; reading can be paused to block the child's console), and the moments the test steers
    /// by: "Replaying", "finished", the messages as they appear.
    /// </summary>
    private sealed class ReplayChild : IDisposable
    {
        private readonly Process _process;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();
        private readonly TaskCompletionSource _replaying = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _killFrom;
        private readonly TimeSpan _burstGap;
        private readonly Task _pumps;
        private TimeSpan _lastMessageAt;
        private int _scanned;
        private bool _killRequested;
        private TaskCompletionSource? _paused;

        /// <param name="killFrom">The stdout pump kills the child at the first message, from this one of the run on, that
        /// comes within <paramref name="burstGap"/> of the previous one (0: never).</param>
        /// <param name="burstGap"><see cref="TimeSpan.MaxValue"/> to kill at message <paramref name="killFrom"/> itself.</param>
        public ReplayChild(string database, string directory, int killFrom, TimeSpan burstGap)
        {
            _killFrom = killFrom;
            _burstGap = burstGap;
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = directory, StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
            };
            // As CliRunner: no chat token or database from the developer's environment, and no internet.
            foreach (var key in new[] { "Telegram__BotToken", "Discord__BotToken", "ConnectionStrings__PerpGuard", "ConnectionStrings__Replay" }) info.Environment.Remove(key);
            info.Environment["Market__Poll"] = "false";
            info.Environment["ConnectionStrings__Replay"] = $"Data Source={database}";
            info.ArgumentList.Add(Path.Combine(CliRunner.BotOutput, "perpguard.dll"));
            foreach (var a in new[] { "--replay", Scenario, "--speed", Speed.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(a);
            _process = Process.Start(info)!;
            _pumps = Task.WhenAll(PumpAsync(_process.StandardOutput, OnStdout, WhilePausedAsync), PumpAsync(_process.StandardError, OnStderr, () => Task.CompletedTask));
        }

        public Task Replaying => _replaying.Task;
        public Task Finished => _finished.Task;
        public Task Killed => _killed.Task;
        /// <summary>Time from start to the "Replaying" line (the startup), once seen.</summary>
        public TimeSpan? ReplayingAt { get; private set; }
        /// <summary>Seconds from start to the kill.</summary>
        public double KilledAt { get; private set; }
        /// <summary>The child was gone before the test killed it (a crash of its own).</summary>
        public bool ExitedOnItsOwn { get; private set; }
        /// <summary>Messages (alert or digest id lines) printed so far.</summary>
        public int Messages { get; private set; }

        public bool HasExited => _process.HasExited;
        public string Stdout { get { lock (_gate) return _stdout.ToString(); } }
        public string Stderr { get { lock (_gate) return _stderr.ToString(); } }

        /// <summary>Stops reading stdout (after the read in progress) until the kill.</summary>
        public void PauseOutput()
        {
            lock (_gate) _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public async Task SendInputAsync(string text)
        {
            await _process.StandardInput.WriteAsync(text);
            await _process.StandardInput.FlushAsync();
        }

        private Task WhilePausedAsync()
        {
            lock (_gate) return _paused?.Task ?? Task.CompletedTask;
        }

        private void ResumeOutput()
        {
            lock (_gate)
            {
                _paused?.TrySetResult();
                _paused = null;
            }
        }

        /// <summary>Whether <paramref name="signal"/> came before the timeout (false as well when the child exited).</summary>
        public async Task<bool> WaitAsync(Task signal, TimeSpan timeout)
        {
            await Task.WhenAny(signal, _process.WaitForExitAsync(), Task.Delay(timeout));
            return signal.IsCompleted;
        }

        /// <summary>SIGKILL now (unless the stdout pump did already), then waits for the exit and the last output.</summary>
        public async Task KillAsync(TimeSpan timeout)
        {
            KillNow();
            using var cancel = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancel.Token);
            // What the child wrote before it died is still in the pipe: read it all.
            ResumeOutput();
            await _pumps.WaitAsync(timeout);
        }

        /// <summary>Closes stdin (the console channel ends, the host stops) and returns the exit code.</summary>
        public async Task<int> CloseInputAndWaitAsync(TimeSpan timeout)
        {
            _process.StandardInput.Close();
            using var cancel = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancel.Token);
            await _pumps.WaitAsync(timeout);
            return _process.ExitCode;
        }

        private void KillNow()
        {
            lock (_gate)
            {
                if (_killRequested) return;
                _killRequested = true;
                KilledAt = _clock.Elapsed.TotalSeconds;
                if (_process.HasExited) ExitedOnItsOwn = true;
                else _process.Kill(entireProcessTree: true);
            }
            _killed.TrySetResult();
        }

        private static async Task PumpAsync(StreamReader reader, Action<char[], int> onText, Func<Task> gate)
        {
            var buffer = new char[4096];
            while (true)
            {
                await gate();
                var read = await reader.ReadAsync(buffer.AsMemory());
                if (read == 0) return;
                onText(buffer, read);
            }
        }

        // Counts each complete id line as it arrives; at the target message, kills the child from here, with no delay.
        private void OnStdout(char[] buffer, int count)
        {
            var kill = false;
            lock (_gate)
            {
                _stdout.Append(buffer, 0, count);
                var text = _stdout.ToString(_scanned, _stdout.Length - _scanned);
                var complete = text.LastIndexOf('\n');
                if (complete < 0) return;
                _scanned += complete + 1;
                var now = _clock.Elapsed;
                foreach (var _ in MessageLine().EnumerateMatches(text.AsSpan(0, complete + 1)))
                {
                    Messages++;
                    kill |= _killFrom > 0 && Messages >= _killFrom && now - _lastMessageAt <= _burstGap;
                    _lastMessageAt = now;
                }
            }
            if (kill) KillNow();
        }

        private void OnStderr(char[] buffer, int count)
        {
            lock (_gate)
            {
                _stderr.Append(buffer, 0, count);
                var text = _stderr.ToString();
                if (ReplayingAt is null && text.Contains($"Replaying {Scenario} at", StringComparison.Ordinal))
                {
                    ReplayingAt = _clock.Elapsed;
                    _replaying.TrySetResult();
                }
                if (text.Contains($"Replay {Scenario} finished", StringComparison.Ordinal)) _finished.TrySetResult();
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            ResumeOutput();
            _process.Dispose();
        }
    }
}

/// <summary>
/// The crash test runs alone, after the parallel tests: its child processes would otherwise compete for the two cores
/// with tests that use short timeouts, and the kills would land on a machine slowed by others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashRecoveryRunsAlone
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Crash recovery (runs alone)";
}
