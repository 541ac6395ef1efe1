namespace ChasiSre.Diagnosis.Knowledge.Tests;

public sealed class LanguageDetectorTests
{
    [Theory]
    [InlineData("The pod keeps restarting with exit code 137", "en")]
    [InlineData("容器一直重启，退出码 137", "zh")]
    [InlineData("用 kubectl describe pod 查看事件", "zh")]
    [InlineData("kubectl -n shop get pods -o wide | grep CrashLoopBackOff 重启", "en")]
    [InlineData("", "en")]
    public void Detect_Text_Language(string text, string expected) => Assert.Equal(expected, LanguageDetector.Detect(text));

    [Theory]
    [InlineData("Read the previous container's log and exit code", "read-the-previous-containers-log-and-exit-code")]
    [InlineData("HPA 指标显示 unknown，无法自动扩容", "hpa-指标显示-unknown无法自动扩容")]
    [InlineData("Job failed (BackoffLimitExceeded, DeadlineExceeded)", "job-failed-backofflimitexceeded-deadlineexceeded")]
    [InlineData("`kubectl` & friends", "kubectl--friends")]
    public void Slug_Heading_GitHubStyleAnchor(string heading, string expected) => Assert.Equal(expected, HeadingAnchor.Slug(heading));
}
