namespace ChasiSre.Platform.ClickHouse.Tests;

public sealed class SqlScriptTests
{
    [Fact]
    public void Split_SemicolonsInsideStringsCommentsAndIdentifiers_AreNotBoundaries()
    {
        var statements = SqlScript.Split(
            """
            -- leading comment; with a semicolon
            CREATE TABLE t (`a;b` String COMMENT 'it''s; fine', c String DEFAULT 'back\'slash;') ENGINE = Memory;
            /* block; comment */
            INSERT INTO t VALUES ('x;y', "z"); # hash comment;
            SELECT $$heredoc; text$$;
            """);

        Assert.Equal(3, statements.Count);
        Assert.StartsWith("-- leading comment", statements[0], StringComparison.Ordinal);
        Assert.EndsWith("ENGINE = Memory", statements[0], StringComparison.Ordinal);
        Assert.StartsWith("/* block; comment */", statements[1], StringComparison.Ordinal);
        Assert.Equal("# hash comment;\nSELECT $$heredoc; text$$", statements[2]);
    }

    [Fact]
    public void Split_OnlyCommentsAndBlanks_YieldsNothing()
    {
        Assert.Empty(SqlScript.Split("-- nothing here;\n\n/* or; here */ ;  ; \n"));
    }

    [Fact]
    public void FromFile_CrLfAndLf_HaveTheSameChecksum()
    {
        var lf = SchemaMigration.FromFile("0007_x.sql", "CREATE DATABASE IF NOT EXISTS ${database};\n");
        var crlf = SchemaMigration.FromFile("0007_x.sql", "CREATE DATABASE IF NOT EXISTS ${database};\r\n");

        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.Equal(7, lf.Version);
        Assert.Equal("x", lf.Name);
        Assert.Equal(["CREATE DATABASE IF NOT EXISTS analytics"], lf.StatementsFor("analytics"));
    }

    [Theory]
    [InlineData("1_x.sql")]
    [InlineData("0001-x.sql")]
    [InlineData("0001_x.txt")]
    public void FromFile_BadName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => SchemaMigration.FromFile(name, "SELECT 1"));
    }
}
