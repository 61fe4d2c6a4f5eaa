<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <source>Reached the step limit</source>
        <translation>已到达步数上限</translation>
    </message>
    <message>
        <source>The race starts as soon as the engine is ready (a first launch compiles it)</source>
        <translation>引擎一就绪比赛就开始（首次启动时需要编译）</translation>
    </message>
    <message>
        <source>Cannot use this scene</source>
        <translation>无法使用这个场景</translation>
    </message>
    <message>
        <source>“%1” opens as soon as the dataset kernels are compiled (first launch only, a few seconds)</source>
        <translation>数据集内核编译完成后即打开“%1”（仅首次启动，需要几秒钟）</translation>
    </message>
    <message>
        <source>the scene</source>
        <translation>该场景</translation>
    </message>
    <message>
        <source>Open scene</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <source>Scenes (*.toml)</source>
        <translation>场景文件 (*.toml)</translation>
    </message>
    <message>
        <source>Cannot open the scene</source>
        <translation>无法打开场景</translation>
    </message>
    <message>
        <source>Save scene</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <source>Cannot save the scene</source>
        <translation>无法保存场景</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused — press Space to race</source>
        <translation>已暂停 — 按空格键开始比赛</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>Space  play / pause
→  one step
R  reset to step 0
F  fit the surface
E  explain the step (arrows, effective learning rate)
S  step by step: → walks through the rule line by line
B  basins of attraction
3  the 3-D view (drag: turn, wheel: zoom, double-click: front view)
F11  presentation mode
Page Down / Page Up  next / previous preset
.  blank the map (presenter remotes)
L  legend on the map (on in presentation mode)

Click the map: every run starts there.
Shift+click: only the selected run.
Drag the ring to move the start.
Wheel: zoom; drag: pan.

Drop a .csv file on the window to fit a model to it.</source>
        <translation>空格  播放 / 暂停
→  走一步
R  重置到第 0 步
F  显示整个曲面
E  解释这一步（箭头、有效学习率）
S  逐步模式：→ 逐行走过更新规则
B  吸引域
3  三维视图（拖动：旋转，滚轮：缩放，双击：正视图）
F11  演示模式
Page Down / Page Up  下一个 / 上一个预设
.  地图黑屏（演示遥控器）
L  地图上的图例（演示模式下打开）

点击地图：所有运行都从那里出发。
Shift+点击：只移动选中的运行。
拖动圆环可移动起点。
滚轮：缩放；拖动：平移。

把 .csv 文件拖到窗口上，即可用模型拟合它。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open scene…</source>
        <translation>打开场景(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save scene…</source>
        <translation>保存场景(&amp;S)…</translation>
    </message>
    <message>
        <source>Open &amp;CSV…</source>
        <translation>打开 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Record clip…</source>
        <translation>录制视频(&amp;R)…</translation>
    </message>
    <message>
        <source>Export &amp;figure… (PNG, SVG)</source>
        <translation>导出图片(&amp;F)… (PNG, SVG)</translation>
    </message>
    <message>
        <source>Export &amp;data… (CSV)</source>
        <translation>导出数据(&amp;D)… (CSV)</translation>
    </message>
    <message>
        <source>Export as &amp;PyTorch script…</source>
        <translation>导出为 PyTorch 脚本(&amp;P)…</translation>
    </message>
    <message>
        <source>Export as &amp;notebook… (Jupyter)</source>
        <translation>导出为笔记本(&amp;N)… (Jupyter)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Next preset</source>
        <translation>下一个预设(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous preset</source>
        <translation>上一个预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Fit the surface</source>
        <translation>显示整个曲面(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Race</source>
        <translation>比赛(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Learning-rate sweep…</source>
        <translation>学习率扫描(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Tune the race (best lr per run)</source>
        <translation>调优比赛(&amp;T)（为每个运行选最佳学习率）</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard and mouse</source>
        <translation>键盘和鼠标(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard and mouse</source>
        <translation>键盘和鼠标</translation>
    </message>
</context>
<context>
    <name>Transport</name>
    <message>
        <source>Transport</source>
        <translation>播放控制</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停（空格键）</translation>
    </message>
    <message>
        <source>Step ▸</source>
        <translation>单步 ▸</translation>
    </message>
    <message>
        <source>One step (→)</source>
        <translation>走一步（→）</translation>
    </message>
    <message>
        <source>↺ Reset</source>
        <translation>↺ 重置</translation>
    </message>
    <message>
        <source>Back to step 0 (R)</source>
        <translation>回到第 0 步（R）</translation>
    </message>
    <message>
        <source> speed </source>
        <translation> 速度 </translation>
    </message>
    <message>
        <source> stop at step </source>
        <translation> 停在第几步 </translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>%1 steps/s</source>
        <translation>每秒 %1 步</translation>
    </message>
</context>
</TS>
