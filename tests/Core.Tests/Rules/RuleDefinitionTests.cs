using PerpGuard.Core.Rules;

namespace PerpGuard.Core.Tests.Rules;

public class RuleDefinitionTests
{
    [Theory]
    [InlineData("R1", RuleKind.OiRebuild)]
    [InlineData("r3", RuleKind.SupportLost)]
    [InlineData(" support ", RuleKind.SupportLost)]
    [InlineData("oi", RuleKind.OiRebuild)]
    [InlineData("funding", RuleKind.HotFunding)]
    [InlineData("basis", RuleKind.BasisTightening)]
    [InlineData("volume", RuleKind.PerpVolumeSpike)]
    [InlineData("5", RuleKind.PerpVolumeSpike)]
    [InlineData("SupportLost", RuleKind.SupportLost)]
    public void Rule_names_parse_as_users_type_them(string text, RuleKind expected)
    {
        Assert.True(RuleKinds.TryParse(text, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("R6")]
    [InlineData("price")]
    public void Unknown_rule_names_are_rejected(string? text) => Assert.False(RuleKinds.TryParse(text, out _));

    [Fact]
    public void Codes_and_titles_cover_every_rule()
    {
        Assert.Equal(["R1", "R2", "R3", "R4", "R5"], RuleKinds.All.Select(RuleKinds.Code));
        Assert.All(RuleKinds.All, k => Assert.False(string.IsNullOrWhiteSpace(RuleKinds.Title(k))));
    }

    [Fact]
    public void Parameters_carry_the_spec_defaults()
    {
        var r1 = RuleDefinition.Default(RuleKind.OiRebuild);
        Assert.Equal(24, r1["flushWin"]);
        Assert.Equal(0.10, r1["flushOiDrop"]);
        Assert.Equal(0.05, r1["flushPxDrop"]);
        Assert.Equal(168, r1["rebuildWin"]);
        Assert.Equal(0.90, r1["r"]);
        Assert.Equal(0.005, r1["eps"]);
        var r2 = RuleDefinition.Default(RuleKind.HotFunding);
        Assert.Equal(0.0003, r2["fHi"]);
        Assert.Equal(3, r2["nFund"]);
        Assert.Equal(24, r2["window"]);
        var r3 = RuleDefinition.Default(RuleKind.SupportLost);
        Assert.True(double.IsNaN(r3["level"]));
        Assert.Equal(0.0025, r3["sBuf"]);
        Assert.Equal(0.01, r3["fast"]);
        var r4 = RuleDefinition.Default(RuleKind.BasisTightening);
        Assert.Equal(5, r4["db"]);
        Assert.Equal(0.02, r4["nearHigh"]);
        Assert.Equal(-2, r4["zPrem"]);
        var r5 = RuleDefinition.Default(RuleKind.PerpVolumeSpike);
        Assert.Equal(3, r5["zPerp"]);
        Assert.Equal(1, r5["zSpot"]);
        Assert.Equal(2, r5["ratioMult"]);
        Assert.All(RuleKinds.All, k => Assert.Equal(TimeSpan.FromHours(4), RuleDefinition.Default(k).CooldownTime));
        Assert.All(RuleKinds.All, k => Assert.All(RuleDefinition.ParametersOf(k), p => Assert.True(p.Required || p.Accepts(p.Default), p.Name)));
    }

    [Fact]
    public void Assignments_override_defaults_case_insensitively_and_hours_take_an_h()
    {
        Assert.True(RuleDefinition.TryCreate(RuleKind.OiRebuild, ["R=0.85", "cooldown=2h", "flushwin=12"], out var rule, out var error));
        Assert.Null(error);
        Assert.Equal(0.85, rule["r"]);
        Assert.Equal(12, rule["flushWin"]);
        Assert.Equal(TimeSpan.FromHours(2), rule.CooldownTime);
        Assert.Equal(0.005, rule["eps"]);
    }

    [Fact]
    public void Unknown_parameter_lists_the_valid_ones()
    {
        Assert.False(RuleDefinition.TryCreate(RuleKind.HotFunding, ["foo=1"], out var rule, out var error));
        Assert.Null(rule);
        Assert.Equal("unknown parameter 'foo' for R2; valid: fHi, nFund, window, cooldown.", error);
    }

    [Fact]
    public void Out_of_range_names_the_parameter_its_range_and_an_example()
    {
        Assert.False(RuleDefinition.TryCreate(RuleKind.OiRebuild, ["r=1.5"], out _, out var error));
        Assert.Equal("r=1.5 is out of range: r must be from 0.5 to 0.99 (default 0.9), e.g. r=0.9.", error);
    }

    [Fact]
    public void Malformed_value_is_rejected_with_the_range()
    {
        Assert.False(RuleDefinition.TryCreate(RuleKind.OiRebuild, ["r=abc"], out _, out var error));
        Assert.Equal("'r=abc': r must be a number from 0.5 to 0.99, e.g. r=0.9.", error);
        Assert.False(RuleDefinition.TryCreate(RuleKind.OiRebuild, ["r0.9"], out _, out error));
        Assert.StartsWith("'r0.9' is not name=value", error, StringComparison.Ordinal);
        Assert.False(RuleDefinition.TryCreate(RuleKind.OiRebuild, ["r=NaN"], out _, out _));
    }

    [Fact]
    public void Counts_must_be_whole_numbers()
    {
        Assert.False(RuleDefinition.TryCreate(RuleKind.HotFunding, ["nFund=2.5"], out _, out var error));
        Assert.Contains("a whole number from 1 to 30", error, StringComparison.Ordinal);
    }

    [Fact]
    public void R3_without_a_level_is_an_error_with_an_example()
    {
        Assert.False(RuleDefinition.TryCreate(RuleKind.SupportLost, ["sBuf=0.005"], out _, out var error));
        Assert.Equal("R3 needs level (support price S (required)), greater than 0, e.g. level=100.", error);
        Assert.False(RuleDefinition.TryCreate(RuleKind.SupportLost, ["level=0"], out _, out error));
        Assert.StartsWith("level=0 is out of range: level must be greater than 0", error, StringComparison.Ordinal);
        Assert.True(RuleDefinition.TryCreate(RuleKind.SupportLost, ["level=97250.5"], out var rule, out _));
        Assert.Equal(97250.5, rule["level"]);
    }

    [Fact]
    public void A_parameter_given_twice_is_an_error()
    {
        Assert.False(RuleDefinition.TryCreate(RuleKind.OiRebuild, ["r=0.9", "r=0.8"], out _, out var error));
        Assert.StartsWith("r is given twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_reads_for_chat_listings()
    {
        Assert.Equal("R3 support lost below 100 (sBuf 0.25%)", RuleDefinition.Support(100).Describe());
        Assert.True(RuleDefinition.TryCreate(RuleKind.SupportLost, ["level=97250", "fast=0.02", "cooldown=1"], out var r3, out _));
        Assert.Equal("R3 support lost below 97,250 (sBuf 0.25%, fast 2%) [cooldown 1 h]", r3.Describe());
        Assert.Equal("R2 hot funding: funding >= 0.03%/8h for 3 periods while spot does not lead and perp flow does (24 h)",
            RuleDefinition.Default(RuleKind.HotFunding).Describe());
        Assert.All(RuleKinds.All, k => Assert.StartsWith(RuleKinds.Code(k) + " ", RuleDefinition.Default(k).Describe(), StringComparison.Ordinal));
    }

    [Fact]
    public void Definitions_with_the_same_effective_values_are_equal()
    {
        Assert.True(RuleDefinition.TryCreate(RuleKind.OiRebuild, ["r=0.9"], out var explicitDefault, out _));
        Assert.Equal(RuleDefinition.Default(RuleKind.OiRebuild), explicitDefault);
        Assert.Equal(RuleDefinition.Default(RuleKind.OiRebuild).GetHashCode(), explicitDefault.GetHashCode());
        Assert.NotEqual(RuleDefinition.Support(100), RuleDefinition.Support(101));
        Assert.Equal(RuleDefinition.Support(100), RuleDefinition.Support(100));
    }

    [Fact]
    public void Unknown_parameter_names_throw_on_lookup() =>
        Assert.Throws<ArgumentException>(() => RuleDefinition.Default(RuleKind.OiRebuild)["level"]);
}
