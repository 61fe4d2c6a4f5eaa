<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Curvature</name>
    <message>
        <source>a saddle: the loss curves up along λ₁ and down along λ₂ (negative curvature); Newton&apos;s step heads for the saddle point</source>
        <translation>鞍点：损失沿 λ₁ 向上弯、沿 λ₂ 向下弯（负曲率）；牛顿步奔向鞍点</translation>
    </message>
    <message>
        <source>a hilltop: the loss curves down in every direction (negative curvature); Newton&apos;s step climbs to the top</source>
        <translation>山顶：损失在每个方向上都向下弯（负曲率）；牛顿步爬向顶点</translation>
    </message>
    <message>
        <source>flat along λ₂: no curvature there, the model is a valley</source>
        <translation>沿 λ₂ 是平的：那里没有曲率，模型是一条山谷</translation>
    </message>
    <message>
        <source>a narrow bowl: %1× steeper along λ₁ than along λ₂</source>
        <translation>狭长的碗：沿 λ₁ 比沿 λ₂ 陡 %1 倍</translation>
    </message>
    <message>
        <source>a round bowl: nearly the same curvature in every direction</source>
        <translation>圆碗：各个方向的曲率几乎相同</translation>
    </message>
    <message>
        <source>lr·λ = %1</source>
        <translation>lr·λ = %1</translation>
    </message>
    <message>
        <source>lr·λ = %1 &lt; 0: pushed away, downhill</source>
        <translation>lr·λ = %1 &lt; 0：被推开，往下坡走</translation>
    </message>
    <message>
        <source>lr·λ = %1 ≪ 1: crawls</source>
        <translation>lr·λ = %1 ≪ 1：缓慢爬行</translation>
    </message>
    <message>
        <source>lr·λ = %1 ≤ 1: no overshoot</source>
        <translation>lr·λ = %1 ≤ 1：不会冲过头</translation>
    </message>
    <message>
        <source>lr·λ = %1 &gt; 1: overshoots, zig-zags</source>
        <translation>lr·λ = %1 &gt; 1：冲过头，来回摆动</translation>
    </message>
    <message>
        <source>lr·λ = %1 &gt; 2: diverges</source>
        <translation>lr·λ = %1 &gt; 2：发散</translation>
    </message>
</context>
<context>
    <name>Dataset</name>
    <message>
        <source>noisy line</source>
        <translation>带噪声的直线</translation>
    </message>
    <message>
        <source>y = 1.5·x + 0.5 + noise, x uniform in [−1, 3]; optional outliers (a fraction of points pushed up by 5–10)</source>
        <translation>y = 1.5·x + 0.5 + 噪声，x 在 [−1, 3] 上均匀分布；可加离群点（一部分点被向上推高 5–10）</translation>
    </message>
    <message>
        <source>two blobs on a line</source>
        <translation>直线上的两团点</translation>
    </message>
    <message>
        <source>1-D: class 0 around −1, class 1 around +1 (logistic regression with (w, b))</source>
        <translation>一维：类别 0 在 −1 附近，类别 1 在 +1 附近（用 (w, b) 做逻辑回归）</translation>
    </message>
    <message>
        <source>two Gaussian blobs</source>
        <translation>两团高斯点</translation>
    </message>
    <message>
        <source>two round clusters placed symmetrically about the origin</source>
        <translation>关于原点对称放置的两个圆形点簇</translation>
    </message>
    <message>
        <source>three blobs</source>
        <translation>三团点</translation>
    </message>
    <message>
        <source>three round clusters at 120° around the origin</source>
        <translation>绕原点相隔 120° 的三个圆形点簇</translation>
    </message>
    <message>
        <source>moons</source>
        <translation>双月</translation>
    </message>
    <message>
        <source>two interleaving half circles</source>
        <translation>两个相互交错的半圆</translation>
    </message>
    <message>
        <source>circles</source>
        <translation>同心圆</translation>
    </message>
    <message>
        <source>a ring around a smaller ring (radius ½)</source>
        <translation>一个圆环套着一个较小的圆环（半径 ½）</translation>
    </message>
    <message>
        <source>four clusters at (±1, ±1); the label is the XOR of the signs</source>
        <translation>位于 (±1, ±1) 的四个点簇；标签是两个坐标符号的异或（XOR）</translation>
    </message>
    <message>
        <source>two spirals</source>
        <translation>双螺旋</translation>
    </message>
    <message>
        <source>two interleaved spiral arms, 1.5 turns each</source>
        <translation>两条相互交错的螺旋臂，各绕 1.5 圈</translation>
    </message>
    <message>
        <source>loaded from %1: %2 rows, %3 feature(s), target %4</source>
        <translation>读取自 %1：%2 行，%3 个特征，目标列 %4</translation>
    </message>
</context>
<context>
    <name>Equations</name>
    <message>
        <source>ρₜ = min(α, 1/√t),   sₜ = max(ε₂, RMS(θₜ₋₁))·ρₜ   *(relative to θ&apos;s size)*
vₜ = (1 − t^τ)·vₜ₋₁ + t^τ·gₜ²
u = gₜ / max(√vₜ, ε₁),   û = u / max(1, RMS(u)/d)
θₜ = θₜ₋₁·(1 − αλ) − sₜ·û</source>
        <translation>ρₜ = min(α, 1/√t),   sₜ = max(ε₂, RMS(θₜ₋₁))·ρₜ   *（相对于 θ 的大小）*
vₜ = (1 − t^τ)·vₜ₋₁ + t^τ·gₜ²
u = gₜ / max(√vₜ, ε₁),   û = u / max(1, RMS(u)/d)
θₜ = θₜ₋₁·(1 − αλ) − sₜ·û</translation>
    </message>
    <message>
        <source>θ ← θ·(1 − α·λ)  *(decoupled weight decay)*
mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ
vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²
m̂ₜ = mₜ / (1−β₁ᵗ),  v̂ₜ = vₜ / (1−β₂ᵗ)
θₜ = θₜ₋₁ − α·m̂ₜ / (√v̂ₜ + ε)</source>
        <translation>θ ← θ·(1 − α·λ)  *（解耦的权重衰减）*
mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ
vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²
m̂ₜ = mₜ / (1−β₁ᵗ),  v̂ₜ = vₜ / (1−β₂ᵗ)
θₜ = θₜ₋₁ − α·m̂ₜ / (√v̂ₜ + ε)</translation>
    </message>
    <message>
        <source>θₜ = θₜ₋₁·(1 − λ·ηₜ) − ηₜ·gₜ
axₜ = axₜ₋₁ + μₜ·(θₜ − axₜ₋₁)   (ax = θ while μ = 1)
ηₜ₊₁ = α / (1 + λαt)^a,   μₜ₊₁ = 1 / max(1, t − t₀)</source>
        <translation>θₜ = θₜ₋₁·(1 − λ·ηₜ) − ηₜ·gₜ
axₜ = axₜ₋₁ + μₜ·(θₜ − axₜ₋₁)   （μ = 1 时 ax = θ）
ηₜ₊₁ = α / (1 + λαt)^a,   μₜ₊₁ = 1 / max(1, t − t₀)</translation>
    </message>
    <message>
        <source>mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ,  vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²
ρₜ = ρ_(∞) − 2t·β₂ᵗ/(1−β₂ᵗ)
ρₜ &gt; 5: θₜ = θₜ₋₁ − α·rₜ·m̂ₜ·√(1−β₂ᵗ)/(√vₜ + ε)
otherwise: θₜ = θₜ₋₁ − α·m̂ₜ</source>
        <translation>mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ,  vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²
ρₜ = ρ_(∞) − 2t·β₂ᵗ/(1−β₂ᵗ)
ρₜ &gt; 5: θₜ = θₜ₋₁ − α·rₜ·m̂ₜ·√(1−β₂ᵗ)/(√vₜ + ε)
否则：θₜ = θₜ₋₁ − α·m̂ₜ</translation>
    </message>
    <message>
        <source>vₜ = a·vₜ₋₁ + (1−a)·gₜ²
θₜ = θₜ₋₁ − α·gₜ / (√vₜ + ε)
*centered:* v − ḡ² in place of v; *momentum:* b = μb + g/(√v + ε), θ ← θ − αb</source>
        <translation>vₜ = a·vₜ₋₁ + (1−a)·gₜ²
θₜ = θₜ₋₁ − α·gₜ / (√vₜ + ε)
*中心化：* 用 v − ḡ² 代替 v；*动量：* b = μb + g/(√v + ε)，θ ← θ − αb</translation>
    </message>
    <message>
        <source>Δ₁ = α  (per coordinate);  g·g_prev &gt; 0:  Δ ← min(η₊·Δ, Δ_max)
g·g_prev &lt; 0:  Δ ← max(η₋·Δ, Δ_min),  g ← 0
θₜ = θₜ₋₁ − Δ·sign(gₜ),   g_prev ← gₜ</source>
        <translation>Δ₁ = α  （逐坐标）；  g·g_prev &gt; 0:  Δ ← min(η₊·Δ, Δ_max)
g·g_prev &lt; 0:  Δ ← max(η₋·Δ, Δ_min),  g ← 0
θₜ = θₜ₋₁ − Δ·sign(gₜ),   g_prev ← gₜ</translation>
    </message>
    <message>
        <source>dₜ = (Hₜ + λI)⁻¹·gₜ   (Hₜ = ∇²f(θₜ₋₁), exact)
θₜ = θₜ₋₁ − α·dₜ   (not in torch.optim)</source>
        <translation>dₜ = (Hₜ + λI)⁻¹·gₜ   （Hₜ = ∇²f(θₜ₋₁)，精确）
θₜ = θₜ₋₁ − α·dₜ   （不在 torch.optim 中）</translation>
    </message>
    <message>
        <source>dₜ = Hₜ⁻¹·gₜ   (Hₜ = ∇²f(θₜ₋₁), exact)
θₜ = θₜ₋₁ − α·dₜ   (not in torch.optim)</source>
        <translation>dₜ = Hₜ⁻¹·gₜ   （Hₜ = ∇²f(θₜ₋₁)，精确）
θₜ = θₜ₋₁ − α·dₜ   （不在 torch.optim 中）</translation>
    </message>
    <message>
        <source>Bₜ = μ·Bₜ₋₁ + (1 − μ)·gₜ
B̃ₜ = μ·Bₜ + (1 − μ)·gₜ  (Nesterov)  or  B̃ₜ = Bₜ
Oₜ = NS(B̃ₜ):  X = B̃ₜ/‖B̃ₜ‖, k times X ← aX + (b·XXᵀ + c·(XXᵀ)²)X   *(bfloat16)*
θₜ = θₜ₋₁·(1 − αλ) − α·√max(1, A/B)·Oₜ   *(θ an A×B matrix)*
*Surface: θ is a 1×2 matrix, Oₜ = p(1)·B̃ₜ/‖B̃ₜ‖ (p(1) ≈ 0.70 at k = 5): a step of length ≈ 0.7·α along the momentum*
*Dataset: each weight matrix by Muon; biases by AdamW (lr α, β 0.9, 0.999, ε 1e-8, λ 0.01)*</source>
        <translation>Bₜ = μ·Bₜ₋₁ + (1 − μ)·gₜ
B̃ₜ = μ·Bₜ + (1 − μ)·gₜ  （Nesterov）  或  B̃ₜ = Bₜ
Oₜ = NS(B̃ₜ)：X = B̃ₜ/‖B̃ₜ‖，k 次 X ← aX + (b·XXᵀ + c·(XXᵀ)²)X   *（bfloat16）*
θₜ = θₜ₋₁·(1 − αλ) − α·√max(1, A/B)·Oₜ   *（θ 是 A×B 矩阵）*
*曲面上：θ 是 1×2 矩阵，Oₜ = p(1)·B̃ₜ/‖B̃ₜ‖（k = 5 时 p(1) ≈ 0.70）：沿动量方向走长度约 0.7·α 的一步*
*数据集上：每个权重矩阵用 Muon；偏置用 AdamW（学习率 α，β 0.9、0.999，ε 1e-8，λ 0.01）*</translation>
    </message>
    <message>
        <source>one step = optimizer.step(closure): f, g at θ, then up to max_iter times:
dₖ = −Hₖ·gₖ   (two-loop recursion over the last (s, y) pairs)
θ ← θ + t·dₖ,   t = α (first: min(1, 1/‖g‖₁)·α) or a strong-Wolfe search
s = t·dₖ,  y = gₖ₊₁ − gₖ;   *every f, g evaluation counts*</source>
        <translation>一步 = 优化器的一次 optimizer.step(closure)：在 θ 处求 f、g，然后最多迭代 max_iter 次：
dₖ = −Hₖ·gₖ   （对最近的 (s, y) 对做双循环递推）
θ ← θ + t·dₖ，  t = α（第一次：min(1, 1/‖g‖₁)·α）或由强 Wolfe 线搜索决定
s = t·dₖ，  y = gₖ₊₁ − gₖ；   *每次求 f、g 都计数*</translation>
    </message>
</context>
<context>
    <name>Explain</name>
    <message>
        <source>arrows at true length</source>
        <translation>箭头按实际长度绘制</translation>
    </message>
    <message>
        <source>arrows drawn ×%1 (too short to see)</source>
        <translation>箭头放大 ×%1 绘制（太短，看不清）</translation>
    </message>
    <message>
        <source>arrows drawn ×%1 (1/%2: too long to show)</source>
        <translation>箭头按 ×%1 绘制（缩小为 1/%2：太长，无法完整显示）</translation>
    </message>
    <message>
        <source>nothing to explain</source>
        <translation>没有可解释的内容</translation>
    </message>
    <message>
        <source>the state is not finite (the run diverged): nothing to draw</source>
        <translation>状态不是有限值（该运行已发散）：无法绘制</translation>
    </message>
    <message>
        <source>arrows projected onto the slice</source>
        <translation>箭头是在切片上的投影</translation>
    </message>
    <message>
        <source>%1 (drawn ×%2: too short beside the others)</source>
        <translation>%1（放大 ×%2 绘制：与其他箭头相比太短）</translation>
    </message>
    <message>
        <source>ellipse: %1</source>
        <translation>椭圆：%1</translation>
    </message>
    <message>
        <source>(%1 × %2 values)</source>
        <translation>（%1 × %2 个值）</translation>
    </message>
    <message>
        <source>(%1, %2, … %3 values)</source>
        <translation>(%1, %2, … 共 %3 个值)</translation>
    </message>
</context>
<context>
    <name>Formula</name>
    <message>
        <source>a typed formula; minima found numerically on the domain</source>
        <translation>输入的公式；最小值在定义域上数值求得</translation>
    </message>
    <message>
        <source>a typed formula with the minima given</source>
        <translation>输入的公式，已给出最小值</translation>
    </message>
</context>
<context>
    <name>Hyperparameter</name>
    <message>
        <source>ρ: decay of both running averages</source>
        <translation>ρ：两个滑动平均的衰减率</translation>
    </message>
    <message>
        <source>τ: the new g² weighs t^τ in v (the decay rate&apos;s exponent; ≤ 0)</source>
        <translation>τ：新的 g² 在 v 中的权重为 t^τ（衰减率的指数；≤ 0）</translation>
    </message>
    <message>
        <source>ε₁: floor of √v (torch&apos;s eps[0]; its None is float64&apos;s machine epsilon, this default)</source>
        <translation>ε₁：√v 的下限（torch 的 eps[0]；默认值为双精度浮点数的机器精度，与 torch 的默认取值相同）</translation>
    </message>
    <message>
        <source>ε₂: floor of RMS(θ) in the relative step (torch&apos;s eps[1])</source>
        <translation>ε₂：相对步长中 RMS(θ) 的下限（torch 的 eps[1]）</translation>
    </message>
    <message>
        <source>d: clipping threshold, the update&apos;s RMS is at most d (≥ 1)</source>
        <translation>d：裁剪阈值，更新量的 RMS 至多为 d（≥ 1）</translation>
    </message>
    <message>
        <source>η: learning-rate decay per step</source>
        <translation>η：每步的学习率衰减</translation>
    </message>
    <message>
        <source>s₀: starting value of the squared-gradient sum</source>
        <translation>s₀：梯度平方和的初始值</translation>
    </message>
    <message>
        <source>divide m and v by 1 − βᵗ (off: m̂ = m, v̂ = v; not in torch)</source>
        <translation>将 m 和 v 除以 1 − βᵗ（关闭时 m̂ = m，v̂ = v；torch 中无此选项）</translation>
    </message>
    <message>
        <source>AMSGrad: divide by the running maximum of v</source>
        <translation>AMSGrad：除以 v 的历史最大值</translation>
    </message>
    <message>
        <source>λ: decay term; shrinks θ by (1 − λη) and slows η&apos;s decay</source>
        <translation>λ：衰减项；将 θ 缩小为 (1 − λη) 倍，并减缓 η 的衰减</translation>
    </message>
    <message>
        <source>a: power of η&apos;s decay, η = α/(1 + λαt)^a</source>
        <translation>a：η 衰减的幂次，η = α/(1 + λαt)^a</translation>
    </message>
    <message>
        <source>t₀: the step after which the averaging starts</source>
        <translation>t₀：从第几步之后开始求平均</translation>
    </message>
    <message>
        <source>β: how much of the past velocity is kept</source>
        <translation>β：保留多少过去的速度</translation>
    </message>
    <message>
        <source>ψ: how fast the momentum schedule μ_t warms up</source>
        <translation>ψ：动量调度 μ_t 预热的快慢</translation>
    </message>
    <message>
        <source>μ: momentum factor</source>
        <translation>μ：动量系数</translation>
    </message>
    <message>
        <source>a: decay of the squared-gradient average</source>
        <translation>a：梯度平方平均的衰减率</translation>
    </message>
    <message>
        <source>divide by the variance estimate instead of the raw second moment</source>
        <translation>除以方差估计，而不是原始的二阶矩</translation>
    </message>
    <message>
        <source>η₋: shrink factor of a step size when the gradient&apos;s sign flips (torch&apos;s etas[0])</source>
        <translation>η₋：梯度符号翻转时步长的缩小倍数（torch 的 etas[0]）</translation>
    </message>
    <message>
        <source>η₊: growth factor of a step size while the sign stays (torch&apos;s etas[1])</source>
        <translation>η₊：符号保持不变时步长的增大倍数（torch 的 etas[1]）</translation>
    </message>
    <message>
        <source>Δ_min: the smallest step size (torch&apos;s step_sizes[0])</source>
        <translation>Δ_min：最小步长（torch 的 step_sizes[0]）</translation>
    </message>
    <message>
        <source>Δ_max: the largest step size (torch&apos;s step_sizes[1])</source>
        <translation>Δ_max：最大步长（torch 的 step_sizes[1]）</translation>
    </message>
    <message>
        <source>τ: dampening of new gradients in the buffer</source>
        <translation>τ：缓冲区中新梯度的阻尼</translation>
    </message>
    <message>
        <source>use Nesterov momentum</source>
        <translation>使用 Nesterov 动量</translation>
    </message>
    <message>
        <source>learning rate α: the step size</source>
        <translation>学习率 α：步长</translation>
    </message>
    <message>
        <source>ε: keeps the denominator away from zero</source>
        <translation>ε：使分母远离零</translation>
    </message>
    <message>
        <source>λ: L2 penalty (weight decay)</source>
        <translation>λ：L2 惩罚（权重衰减）</translation>
    </message>
    <message>
        <source>β₁: decay of the first-moment (mean) average</source>
        <translation>β₁：一阶矩（均值）平均的衰减率</translation>
    </message>
    <message>
        <source>β₂: decay of the second-moment average</source>
        <translation>β₂：二阶矩平均的衰减率</translation>
    </message>
    <message>
        <source>λ: added to every curvature, (H + λI)⁻¹g</source>
        <translation>λ：加到每个曲率上，(H + λI)⁻¹g</translation>
    </message>
    <message>
        <source>μ: momentum (the buffer averages gradients with weight 1 − μ)</source>
        <translation>μ：动量（缓冲区以权重 1 − μ 对梯度做加权平均）</translation>
    </message>
    <message>
        <source>Nesterov: orthogonalise μ·B + (1 − μ)·g instead of B</source>
        <translation>Nesterov：正交化的是 μ·B + (1 − μ)·g，而不是 B</translation>
    </message>
    <message>
        <source>a: first coefficient of Newton–Schulz&apos;s quintic aX + bXXᵀX + c(XXᵀ)²X (torch&apos;s ns_coefficients)</source>
        <translation>a：Newton–Schulz 五次迭代 aX + bXXᵀX + c(XXᵀ)²X 的第一个系数（torch 的 ns_coefficients）</translation>
    </message>
    <message>
        <source>b: second coefficient of Newton–Schulz&apos;s quintic aX + bXXᵀX + c(XXᵀ)²X (torch&apos;s ns_coefficients)</source>
        <translation>b：Newton–Schulz 五次迭代 aX + bXXᵀX + c(XXᵀ)²X 的第二个系数（torch 的 ns_coefficients）</translation>
    </message>
    <message>
        <source>c: third coefficient of Newton–Schulz&apos;s quintic aX + bXXᵀX + c(XXᵀ)²X (torch&apos;s ns_coefficients)</source>
        <translation>c：Newton–Schulz 五次迭代 aX + bXXᵀX + c(XXᵀ)²X 的第三个系数（torch 的 ns_coefficients）</translation>
    </message>
    <message>
        <source>k: Newton–Schulz iterations (torch allows fewer than 100)</source>
        <translation>k：Newton–Schulz 迭代次数（torch 允许少于 100 次）</translation>
    </message>
    <message>
        <source>the most inner iterations in one step (one step = one optimizer.step(closure))</source>
        <translation>一步中内部迭代的最多次数（一步 = 优化器的一次 optimizer.step(closure)）</translation>
    </message>
    <message>
        <source>the most function evaluations in one step (0: torch&apos;s None, max_iter·5/4)</source>
        <translation>一步中函数求值的最多次数（0：torch 的默认值，即 max_iter·5/4）</translation>
    </message>
    <message>
        <source>a step stops when max|g| is at most this</source>
        <translation>max|g| 不超过此值时，这一步停止</translation>
    </message>
    <message>
        <source>a step stops when the loss or θ changes less than this</source>
        <translation>损失或 θ 的变化小于此值时，这一步停止</translation>
    </message>
    <message>
        <source>how many (s, y) pairs the curvature estimate remembers</source>
        <translation>曲率估计记住多少个 (s, y) 对</translation>
    </message>
    <message>
        <source>line_search_fn=&apos;strong_wolfe&apos;: a line search picks t (off: None, t = α)</source>
        <translation>line_search_fn=&apos;strong_wolfe&apos;：由线搜索选 t（关闭：不做线搜索，t = α）</translation>
    </message>
</context>
<context>
    <name>Loss</name>
    <message>
        <source>The lecture note&apos;s table prints −Σⱼ [yⱼ log σ(o)ⱼ]², a sign slip: that would be smallest where σ(o) → 0, i.e. where the prediction is wrong. Implemented: Σⱼ [yⱼ log σ(o)ⱼ]², which is 0 exactly when the true class gets probability 1.</source>
        <translation>讲义的表格中写的是 −Σⱼ [yⱼ log σ(o)ⱼ]²，这是一处符号笔误：那样它在 σ(o) → 0，即预测错误时最小。这里实现的是 Σⱼ [yⱼ log σ(o)ⱼ]²，当且仅当真实类别的概率为 1 时它等于 0。</translation>
    </message>
    <message>
        <source>L1 loss</source>
        <translation>L1 损失</translation>
    </message>
    <message>
        <source>L2 loss</source>
        <translation>L2 损失</translation>
    </message>
    <message>
        <source>expectation loss</source>
        <translation>期望损失</translation>
    </message>
    <message>
        <source>regularised expectation loss</source>
        <translation>正则化期望损失</translation>
    </message>
    <message>
        <source>Chebyshev loss</source>
        <translation>Chebyshev 损失</translation>
    </message>
    <message>
        <source>hinge (margin) loss</source>
        <translation>合页（间隔）损失</translation>
    </message>
    <message>
        <source>squared hinge (margin) loss</source>
        <translation>平方合页（间隔）损失</translation>
    </message>
    <message>
        <source>cubed hinge (margin) loss</source>
        <translation>立方合页（间隔）损失</translation>
    </message>
    <message>
        <source>log (cross-entropy) loss</source>
        <translation>对数（交叉熵）损失</translation>
    </message>
    <message>
        <source>squared log loss</source>
        <translation>平方对数损失</translation>
    </message>
    <message>
        <source>Tanimoto loss</source>
        <translation>Tanimoto 损失</translation>
    </message>
    <message>
        <source>Cauchy–Schwarz divergence</source>
        <translation>Cauchy–Schwarz 散度</translation>
    </message>
    <message>
        <source>binary cross-entropy</source>
        <translation>二元交叉熵</translation>
    </message>
</context>
<context>
    <name>Model</name>
    <message>
        <source>linear regression</source>
        <translation>线性回归</translation>
    </message>
    <message>
        <source>a straight line (plane) fitted to the targets</source>
        <translation>拟合目标值的一条直线（平面）</translation>
    </message>
    <message>
        <source>logistic regression</source>
        <translation>逻辑回归</translation>
    </message>
    <message>
        <source>one linear output squashed by the sigmoid s; two classes. Two parameters: (w₁, w₂) on 2-D data (no bias), (w, b) on 1-D data</source>
        <translation>一个线性输出经 sigmoid 函数 s 压缩；两个类别。两个参数：二维数据上为 (w₁, w₂)（无偏置），一维数据上为 (w, b)</translation>
    </message>
    <message>
        <source>softmax regression</source>
        <translation>softmax 回归</translation>
    </message>
    <message>
        <source>one linear output per class, normalised by the softmax</source>
        <translation>每个类别一个线性输出，经 softmax 归一化</translation>
    </message>
    <message>
        <source>a multilayer perceptron with hidden layers of your choice</source>
        <translation>多层感知机，隐藏层可自行设定</translation>
    </message>
</context>
<context>
    <name>Optimizer</name>
    <message>
        <source>Momentum</source>
        <translation>动量梯度下降 Momentum</translation>
    </message>
    <message>
        <source>Damped Newton</source>
        <translation>阻尼牛顿法</translation>
    </message>
    <message>
        <source>Newton</source>
        <translation>牛顿法 Newton</translation>
    </message>
</context>
<context>
    <name>Reference</name>
    <message>
        <source>Polyak (1964); the exponentially-weighted-average form of Ng&apos;s Deep Learning course</source>
        <translation>Polyak (1964)；指数加权平均的写法来自吴恩达的深度学习课程</translation>
    </message>
</context>
<context>
    <name>Schedule</name>
    <message>
        <source>constant</source>
        <translation>常数</translation>
    </message>
    <message>
        <source>LinearLR (warm-up)</source>
        <translation>LinearLR（预热）</translation>
    </message>
    <message>
        <source>warm-up + cosine</source>
        <translation>预热 + 余弦</translation>
    </message>
    <message>
        <source>constant lr</source>
        <translation>恒定学习率</translation>
    </message>
</context>
<context>
    <name>Surface</name>
    <message>
        <source>A curved banana-shaped valley: reaching the valley is easy, following its almost flat floor to (1, 1) is slow, so step size and momentum decide the race.</source>
        <translation>一条弯曲的香蕉形山谷：走进谷底很容易，沿着几乎平坦的谷底走到 (1, 1) 却很慢，因此步长和动量决定了比赛的胜负。</translation>
    </message>
    <message>
        <source>Steep walls meet long flat arms near the minimum, so a learning rate that is safe on the walls crawls on the flats: a classic test for adaptive step sizes.</source>
        <translation>最小值附近，陡峭的谷壁连着长而平坦的分支，在谷壁上安全的学习率到了平坦处就寸步难行：这是检验自适应步长的经典例子。</translation>
    </message>
    <message>
        <source>Four equally deep minima around a central hill: which one a run reaches depends on its optimizer, learning rate and momentum, not only on where it starts.</source>
        <translation>四个同样深的极小值围绕着中央的小山：一次运行到达哪一个，不只取决于起点，还取决于它的优化器、学习率和动量。</translation>
    </message>
    <message>
        <source>Elongated bowl</source>
        <translation>狭长碗</translation>
    </message>
    <message>
        <source>The lecture&apos;s ill-conditioned bowl (condition number 32): plain gradient descent zig-zags across the narrow axis, momentum and RMSprop damp the swings and speed along the long one.</source>
        <translation>讲义中的病态碗形曲面（条件数 32）：普通梯度下降在窄轴方向来回震荡，动量和 RMSprop 减小摆动，并沿长轴加速前进。</translation>
    </message>
    <message>
        <source>Round bowl</source>
        <translation>圆碗</translation>
    </message>
    <message>
        <source>A perfectly round bowl whose gradient points straight at the minimum: the baseline on which to see what noise, batch size and learning rate do on their own.</source>
        <translation>一个正圆的碗，梯度直指最小值：用来单独观察噪声、批量大小和学习率各自作用的基准。</translation>
    </message>
    <message>
        <source>Saddle</source>
        <translation>鞍面</translation>
    </message>
    <message>
        <source>A saddle point at the origin: a run started near its ridge slows to a crawl there before sliding into one of the minima at (0, ±1); noise and adaptive steps escape sooner.</source>
        <translation>原点是一个鞍点：从其脊线附近出发的运行会在那里变得极慢，然后才滑入 (0, ±1) 处的某个极小值；噪声和自适应步长能更早逃离。</translation>
    </message>
    <message>
        <source>Diagonal ravine</source>
        <translation>斜向峡谷</translation>
    </message>
    <message>
        <source>A long straight ravine at 45° (condition number 80): it is not aligned with the axes, so per-coordinate methods (Adagrad, RMSprop, Adam) cannot straighten it; momentum can.</source>
        <translation>一条 45° 走向的狭长直峡谷（条件数 80）：它与坐标轴不对齐，所以逐坐标的方法（Adagrad、RMSprop、Adam）无法把路径拉直；动量可以。</translation>
    </message>
    <message>
        <source>Plateau</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>A nearly flat plain around a narrow well: far out the gradient almost vanishes, so plain gradient descent barely moves while methods that normalise the step cross it quickly.</source>
        <translation>一口窄井周围是几乎平坦的平原：远处梯度几乎消失，普通梯度下降几乎不动，而对步长做归一化的方法能很快穿过平原。</translation>
    </message>
    <message>
        <source>A bowl covered by a regular lattice of local minima: gradient methods stop in a nearby dimple, which is why non-convex landscapes need noise, restarts or luck.</source>
        <translation>碗面上布满规则排列的局部极小值：梯度方法会停在附近的小坑里，这正是非凸地形需要噪声、重启或运气的原因。</translation>
    </message>
    <message>
        <source>A bumpy, almost flat plateau around a deep funnel: local minima everywhere, and a cone-shaped global minimum whose gradient never shrinks (it is undefined at the tip).</source>
        <translation>一个深漏斗周围是崎岖而几乎平坦的高原：到处都是局部极小值，全局最小值呈圆锥形，其梯度从不变小（在锥尖处无定义）。</translation>
    </message>
    <message>
        <source>A tilted quadratic bowl (condition number 9) with its minimum at (1, 3): a gentle first race that every sensible optimizer finishes.</source>
        <translation>一个倾斜的二次碗（条件数 9），最小值在 (1, 3)：一场温和的入门比赛，任何合理的优化器都能跑完。</translation>
    </message>
    <message>
        <source>Values range from 3 to about a million, so no single plain learning rate suits both the walls and the floor, and four minima (3, 30, 84, 840) catch runs at different depths.</source>
        <translation>函数值从 3 到约一百万不等，没有哪个固定的学习率能同时适合谷壁和谷底；四个极小值（3、30、84、840）会在不同深度截住各次运行。</translation>
    </message>
    <message>
        <source>Six-hump camel</source>
        <translation>六峰驼峰函数</translation>
    </message>
    <message>
        <source>Six minima, two of them global: the basin a run ends in shows how far its momentum or adaptive step carries it.</source>
        <translation>六个极小值，其中两个是全局最小值：一次运行最终落入哪个吸引域，显示了它的动量或自适应步长能把它带多远。</translation>
    </message>
    <message>
        <source>Four wells of different depth: from the far corner gradient descent stops in the nearest, shallowest one, while enough momentum rolls on into a deeper one.</source>
        <translation>四口深浅不同的井：从远处的角落出发，梯度下降停在最近、最浅的那口井里，而足够的动量能继续滚进更深的井。</translation>
    </message>
    <message>
        <source>Two wells</source>
        <translation>双井</translation>
    </message>
    <message>
        <source>A shallow well next to a deeper one with a bump between them: gradient descent settles in the near, shallow well, momentum can roll over the bump into the deep one.</source>
        <translation>一口浅井紧挨着一口深井，中间隔着一道小坡：梯度下降停在近处的浅井，动量能越过小坡滚进深井。</translation>
    </message>
    <message>
        <source>A wide, flat valley along y = x: gradients are small everywhere, so plain gradient descent is slow and momentum pays off.</source>
        <translation>沿 y = x 的一条宽而平的山谷：处处梯度都很小，因此普通梯度下降很慢，动量的优势显现出来。</translation>
    </message>
    <message>
        <source>Three-hump camel</source>
        <translation>三峰驼峰函数</translation>
    </message>
    <message>
        <source>A global minimum at the origin between two shallow local ones: the learning rate and momentum decide which a run falls into.</source>
        <translation>全局最小值位于原点，两侧各有一个较浅的局部极小值：学习率和动量决定一次运行落入哪一个。</translation>
    </message>
    <message>
        <source>A sloping valley along x − y = 1 with a wavy floor: runs that drop into the valley upstream get stuck in the local dip before the global minimum.</source>
        <translation>沿 x − y = 1 的一条倾斜山谷，谷底起伏不平：在上游落入山谷的运行，会在到达全局最小值之前卡在局部的凹陷里。</translation>
    </message>
</context>
<context>
    <name>Walk</name>
    <message>
        <source>step taken Δθ</source>
        <translation>实际一步 Δθ</translation>
    </message>
    <message>
        <source>gradient step −α·g</source>
        <translation>梯度步 −α·g</translation>
    </message>
    <message>
        <source>effective lr α·√(u+ε)/√(v+ε) per axis</source>
        <translation>各轴的有效学习率 α·√(u+ε)/√(v+ε)</translation>
    </message>
    <message>
        <source>s = max(%1, RMS of each tensor)·ρ</source>
        <translation>s = max(%1, 每个张量的 RMS)·ρ</translation>
    </message>
    <message>
        <source>R, C ← %1·(R, C) + %2·(row, column means of g²)</source>
        <translation>R, C ← %1·(R, C) + %2·(g² 的行均值、列均值)</translation>
    </message>
    <message>
        <source>unclipped step −s·u</source>
        <translation>裁剪前的步 −s·u</translation>
    </message>
    <message>
        <source>effective lr per axis</source>
        <translation>各轴的有效学习率</translation>
    </message>
    <message>
        <source>effective lr α/(√s+ε) per axis</source>
        <translation>各轴的有效学习率 α/(√s+ε)</translation>
    </message>
    <message>
        <source>%1   (bias correction off)</source>
        <translation>%1   （偏差纠正已关闭）</translation>
    </message>
    <message>
        <source>momentum step −α·m̂</source>
        <translation>动量步 −α·m̂</translation>
    </message>
    <message>
        <source>effective lr α/(√v̂+ε) per axis</source>
        <translation>各轴的有效学习率 α/(√v̂+ε)</translation>
    </message>
    <message>
        <source>effective lr α/u per axis</source>
        <translation>各轴的有效学习率 α/u</translation>
    </message>
    <message>
        <source>interpolated momentum −α·c</source>
        <translation>插值动量 −α·c</translation>
    </message>
    <message>
        <source>carried velocity −α·β·v</source>
        <translation>保留的速度 −α·β·v</translation>
    </message>
    <message>
        <source>Nesterov momentum step −α·m̂</source>
        <translation>Nesterov 动量步 −α·m̂</translation>
    </message>
    <message>
        <source>effective lr α·rₜ·√(1−β₂ᵗ)/(√v+ε) per axis</source>
        <translation>各轴的有效学习率 α·rₜ·√(1−β₂ᵗ)/(√v+ε)</translation>
    </message>
    <message>
        <source>effective lr α/(√v+ε) per axis</source>
        <translation>各轴的有效学习率 α/(√v+ε)</translation>
    </message>
    <message>
        <source>momentum carried −α·μ·b</source>
        <translation>保留的动量 −α·μ·b</translation>
    </message>
    <message>
        <source>step size Δ per axis</source>
        <translation>各轴的步长 Δ</translation>
    </message>
    <message>
        <source>ax ← θ   (averaging starts after t₀ = %1 steps)</source>
        <translation>ax ← θ   （第 t₀ = %1 步之后才开始求平均）</translation>
    </message>
    <message>
        <source>Muon step −α·O</source>
        <translation>Muon 步 −α·O</translation>
    </message>
    <message>
        <source>O = NS(B̃), %1 steps in bfloat16, per weight matrix</source>
        <translation>O = NS(B̃)，bfloat16 下迭代 %1 步，逐个权重矩阵</translation>
    </message>
    <message>
        <source>biases (AdamW): m ← %1·m + %2·g</source>
        <translation>偏置（AdamW）：m ← %1·m + %2·g</translation>
    </message>
    <message>
        <source>biases (AdamW): v ← %1·v + %2·g²</source>
        <translation>偏置（AdamW）：v ← %1·v + %2·g²</translation>
    </message>
    <message>
        <source>θ ← θ·(1 − %1·%2) − α·√max(1, A/B)·O per matrix; biases by AdamW</source>
        <translation>θ ← θ·(1 − %1·%2) − α·√max(1, A/B)·O（逐个矩阵）；偏置用 AdamW</translation>
    </message>
    <message>
        <source>θ ← θ·(1 − %1·%2) − α·√max(1, A/B)·O per matrix</source>
        <translation>θ ← θ·(1 − %1·%2) − α·√max(1, A/B)·O（逐个矩阵）</translation>
    </message>
    <message>
        <source>max|g| ≤ %1: no iteration</source>
        <translation>max|g| ≤ %1：不迭代</translation>
    </message>
    <message>
        <source>d = −H·g from %1 (s, y) pairs</source>
        <translation>d = −H·g，由 %1 个 (s, y) 对得出</translation>
    </message>
    <message>
        <source>last quasi-Newton move t·d</source>
        <translation>最后一次拟牛顿移动 t·d</translation>
    </message>
    <message>
        <source>strong-Wolfe search</source>
        <translation>强 Wolfe 线搜索</translation>
    </message>
    <message>
        <source>inner iterations (max_iter %1)</source>
        <translation>内部迭代次数（max_iter %1）</translation>
    </message>
    <message>
        <source>function evaluations in this step</source>
        <translation>这一步的函数求值次数</translation>
    </message>
    <message>
        <source>no move: max|g| ≤ %1 or gᵀd ≥ −%2</source>
        <translation>不移动：max|g| ≤ %1 或 gᵀd ≥ −%2</translation>
    </message>
    <message>
        <source>θ after %1 inner iterations</source>
        <translation>%1 次内部迭代后的 θ</translation>
    </message>
</context>
</TS>
