/**
 * The Python half of the torch target: Keras's layers, initializers, losses,
 * metrics and optimizer defaults on PyTorch, the data reader, the training
 * loop (one process or DistributedDataParallel) and main(). Every program
 * `mlc emit --target pytorch` writes carries this text after its imports and
 * before its model, so the program stands alone; `mlc train --engine torch`
 * runs such a program.
 *
 * Layout: tensors between layers are channels-first where convolutions and
 * pooling want them and channels-last (Keras's layout) everywhere else; the
 * emitted model converts between the two, so a model's inputs and outputs
 * are shaped as in Keras and a Keras kernel loads with a transpose.
 */

/** Which file the runtime's text is printed from; named in the emitted program's comments. */
export const RUNTIME_NAME = "mlc's Keras-on-PyTorch runtime";

/** Exit status of a program that cannot import torch (the engine then tries the next python). */
export const EXIT_NO_TORCH = 3;
/** Exit status of a program that stopped because the loss became NaN or infinite. */
export const EXIT_NONFINITE = 4;
/** Exit status of a program given bad arguments or data (one line on stderr). */
export const EXIT_USER_ERROR = 1;
/** Exit status of a program stopped by Ctrl-C (SIGINT), as a shell reports it. */
export const EXIT_INTERRUPTED = 130;
/**
 * The file in an mlc save that holds a torch-engine run's optimizer state
 * (torch's optimizer.state_dict(): moments and step counts), so that
 * --resume goes on as one longer run would.
 */
export const TORCH_OPTIMIZER_FILE = 'torch-optimizer.pt';

export const RUNTIME_PY = String.raw`
# ----------------------------------------------------------------------------
# Keras semantics on PyTorch
# ----------------------------------------------------------------------------


class UserError(Exception):
    """A problem with the arguments or the data: printed as one line, never a traceback."""


def to_channels_first(x):
    """(batch, ..., channels) -> (batch, channels, ...)."""
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))


def to_channels_last(x):
    """(batch, channels, ...) -> (batch, ..., channels): Keras's layout, and its flatten order."""
    return x.permute(0, *range(2, x.dim()), 1)


def hard_sigmoid(x):
    # Keras 2 and TensorFlow.js: clip(0.2 x + 0.5, 0, 1).
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": F.relu,
    "relu6": F.relu6,
    "elu": F.elu,
    "selu": F.selu,
    "sigmoid": torch.sigmoid,
    "hard_sigmoid": hard_sigmoid,
    "tanh": torch.tanh,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "swish": F.silu,
    "gelu": F.gelu,
}


def keras_activation(name, channel_dim=-1):
    """A Keras activation by name; softmax runs over the channel axis, wherever the layout puts it."""
    if name == "softmax":
        return lambda x: torch.softmax(x, dim=channel_dim)
    return ACTIVATIONS[name]


def glorot_uniform_(tensor, fan_in, fan_out):
    """Keras's default kernel initializer: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out))."""
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-limit, limit)


def keras_fans(shape):
    """Keras's compute_fans on a weight in Keras's layout: (..., in, out), the receptive field in front."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


# name -> (scale, mode, distribution) of Keras's VarianceScaling initializers.
VARIANCE_SCALING = {
    "glorot_uniform": (1.0, "fan_avg", "uniform"),
    "glorot_normal": (1.0, "fan_avg", "truncated_normal"),
    "he_uniform": (2.0, "fan_in", "uniform"),
    "he_normal": (2.0, "fan_in", "truncated_normal"),
    "lecun_uniform": (1.0, "fan_in", "uniform"),
    "lecun_normal": (1.0, "fan_in", "truncated_normal"),
}


def keras_initializer(name, shape):
    """A tensor of shape (Keras's layout) drawn as keras.initializers.get(name) draws it in Keras 3."""
    shape = tuple(shape)
    if name == "zeros":
        return torch.zeros(shape)
    if name == "ones":
        return torch.ones(shape)
    if name == "random_normal":
        return torch.randn(shape) * 0.05
    if name == "random_uniform":
        return torch.empty(shape).uniform_(-0.05, 0.05)
    if name == "truncated_normal":
        return nn.init.trunc_normal_(torch.empty(shape), 0.0, 0.05, -0.1, 0.1)
    if name == "orthogonal":
        rows, cols = math.prod(shape[:-1]), shape[-1]
        q, r = torch.linalg.qr(torch.randn(max(rows, cols), min(rows, cols)))
        q = q * torch.sign(torch.diagonal(r))
        return (q.t() if rows < cols else q).reshape(shape)
    scale, mode, distribution = VARIANCE_SCALING[name]
    fan_in, fan_out = keras_fans(shape)
    scale /= max(1.0, fan_in if mode == "fan_in" else (fan_in + fan_out) / 2)
    if distribution == "uniform":
        limit = math.sqrt(3.0 * scale)
        return torch.empty(shape).uniform_(-limit, limit)
    # Keras widens the deviation by that of a unit normal truncated at two deviations.
    stddev = math.sqrt(scale) / 0.87962566103423978
    return nn.init.trunc_normal_(
        torch.empty(shape), 0.0, stddev, -2 * stddev, 2 * stddev
    )


def keras_layer_options(
    module,
    weights,
    trainable=True,
    initializers=None,
    regularizers=None,
    activity=None,
):
    """
    A layer's Keras options applied to its module: initializers {weight: name}
    redraw those of its Keras weights (weights names them in keras_weights()
    order, "kernel" or "forward_lstm/kernel"), regularizers {weight: (l1, l2)}
    are added to the loss by regularization_loss (a Bidirectional's, by both
    of its layers), activity (l1, l2) penalizes each output by activity_loss,
    trainable=False freezes it.
    """
    if initializers:
        values = [w.cpu().numpy() for w in module.keras_weights()]
        for i, name in enumerate(weights):
            chosen = initializers.get(name.split("/")[-1])
            if chosen is not None:
                values[i] = keras_initializer(chosen, values[i].shape).numpy()
        module.load_keras(*values)
    if regularizers:
        inner = [getattr(module, n, None) for n in ("forward_layer", "backward_layer")]
        for m in [m for m in inner if m is not None] or [module]:
            m.keras_regularizers = regularizers
    if activity:
        l1, l2 = activity

        def penalize(m, inputs, output):
            m.keras_activity_penalty = (
                l1 * output.abs().sum() + l2 * output.square().sum()
            )

        module.keras_activity = activity
        module.register_forward_hook(penalize)
    if not trainable:
        for p in module.parameters():
            p.requires_grad_(False)
    return module


def regularized_weights(model):
    """(weight, l1, l2) for each regularized weight; the training loop looks them up once, not per batch."""
    return [
        (getattr(m, name), l1, l2)
        for m in model.modules()
        for name, (l1, l2) in getattr(m, "keras_regularizers", {}).items()
    ]


def regularization_loss(model, weights=None):
    """Keras's regularization losses: l1 * sum(|w|) + l2 * sum(w ** 2) per regularized weight (Keras 3's l2 has no 1/2)."""
    total = 0.0
    for w, l1, l2 in regularized_weights(model) if weights is None else weights:
        if l1:
            total = total + l1 * w.abs().sum()
        if l2:
            total = total + l2 * w.square().sum()
    return total


def penalized_outputs(model):
    """The modules whose output has an activity penalty; the training loop looks them up once."""
    return [m for m in model.modules() if hasattr(m, "keras_activity")]


def activity_loss(model, modules=None):
    """
    Keras 3's activity regularization: l1 * sum(|y|) + l2 * sum(y ** 2) of
    each penalized layer's output in the latest forward pass, summed over its
    whole batch (not divided by the batch size).
    """
    total = 0.0
    for m in penalized_outputs(model) if modules is None else modules:
        total = total + m.keras_activity_penalty
    return total


def same_padding(size, kernel, stride, dilation=1):
    """TensorFlow's padding=same: ceil(size / stride) outputs; an odd total puts the extra pixel after."""
    extent = (kernel - 1) * dilation + 1
    total = max((-(-size // stride) - 1) * stride + extent - size, 0)
    return total // 2, total - total // 2


def pad_list(pads):
    """Per-axis (before, after) pairs, first spatial axis first -> F.pad's order (last axis first)."""
    return [p for before_after in reversed(pads) for p in before_after]


def keras_window_padding(x, padding, kernel_size, strides, dilation_rate):
    """
    A channels-first input padded as Keras pads it for a window: TensorFlow's
    same (asymmetric where needed) or causal (zeros before the steps only).
    Returns the input and the symmetric padding left for the convolution.
    """
    if padding == "causal":
        return F.pad(x, ((kernel_size[0] - 1) * dilation_rate[0], 0)), 0
    if padding != "same":
        return x, 0
    pads = [
        same_padding(x.shape[2 + i], k, s, d)
        for i, (k, s, d) in enumerate(zip(kernel_size, strides, dilation_rate))
    ]
    if all(before == after for before, after in pads):
        return x, tuple(before for before, _ in pads)
    return F.pad(x, pad_list(pads)), 0


def as_tensor(array):
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


class KerasDense(nn.Module):
    """Keras Dense on the last axis. The kernel is kept as PyTorch's Linear keeps it, (units, in)."""

    def __init__(self, in_features, units, activation, use_bias):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(units, in_features))
        glorot_uniform_(self.kernel, in_features, units)
        self.bias = nn.Parameter(torch.zeros(units)) if use_bias else None
        self.activation = keras_activation(activation)

    def forward(self, x):
        return self.activation(F.linear(x, self.kernel, self.bias))

    def load_keras(self, kernel, bias=None):
        self.kernel.data.copy_(as_tensor(kernel).t())
        if self.bias is not None:
            self.bias.data.copy_(as_tensor(bias))

    def keras_weights(self):
        out = [self.kernel.detach().t()]
        return out + ([self.bias.detach()] if self.bias is not None else [])


class KerasKernelBias(nn.Module):
    """
    The weights of a convolution (plain or transposed) of rank self.rank: a
    kernel as PyTorch's convolutions keep it, Keras's last two axes first
    (Keras (*kernel_size, a, b) is PyTorch (b, a, *kernel_size)), and an
    optional bias.
    """

    def load_keras(self, kernel, bias=None):
        self.kernel.data.copy_(
            as_tensor(kernel).permute(self.rank + 1, self.rank, *range(self.rank))
        )
        if self.bias is not None:
            self.bias.data.copy_(as_tensor(bias))

    def keras_weights(self):
        out = [self.kernel.detach().permute(*range(2, 2 + self.rank), 1, 0)]
        return out + ([self.bias.detach()] if self.bias is not None else [])


class KerasConv(KerasKernelBias):
    """Keras Conv1D/Conv2D on channels-first tensors, with TensorFlow's same padding and Keras's causal."""

    def __init__(
        self,
        rank,
        in_channels,
        filters,
        kernel_size,
        strides,
        padding,
        dilation_rate,
        activation,
        use_bias,
    ):
        super().__init__()
        self.rank = rank
        self.kernel_size = tuple(kernel_size)
        self.strides = tuple(strides)
        self.dilation_rate = tuple(dilation_rate)
        self.padding = padding
        self.kernel = nn.Parameter(torch.empty(filters, in_channels, *kernel_size))
        volume = math.prod(kernel_size)
        glorot_uniform_(self.kernel, volume * in_channels, volume * filters)
        self.bias = nn.Parameter(torch.zeros(filters)) if use_bias else None
        self.activation = keras_activation(activation, channel_dim=1)
        self.convolve = F.conv1d if rank == 1 else F.conv2d

    def forward(self, x):
        x, padding = keras_window_padding(
            x, self.padding, self.kernel_size, self.strides, self.dilation_rate
        )
        y = self.convolve(
            x, self.kernel, self.bias, self.strides, padding, self.dilation_rate
        )
        return self.activation(y)


class KerasPool(nn.Module):
    """Keras MaxPooling/AveragePooling 1D/2D on channels-first tensors; same-padded averages count real values only."""

    def __init__(self, rank, op, pool_size, strides, padding):
        super().__init__()
        self.rank = rank
        self.op = op
        self.pool_size = tuple(pool_size)
        self.strides = tuple(strides)
        self.padding = padding
        if op == "max":
            self.pool = F.max_pool1d if rank == 1 else F.max_pool2d
        else:
            self.pool = F.avg_pool1d if rank == 1 else F.avg_pool2d

    def forward(self, x):
        pads = [(0, 0)] * self.rank
        if self.padding == "same":
            pads = [
                same_padding(x.shape[2 + i], k, s)
                for i, (k, s) in enumerate(zip(self.pool_size, self.strides))
            ]
        if not any(before or after for before, after in pads):
            return self.pool(x, self.pool_size, self.strides)
        if self.op == "max":
            return self.pool(
                F.pad(x, pad_list(pads), value=-math.inf), self.pool_size, self.strides
            )
        ones = torch.ones_like(x[:1, :1])
        total = self.pool(F.pad(x, pad_list(pads)), self.pool_size, self.strides)
        return total / self.pool(
            F.pad(ones, pad_list(pads)), self.pool_size, self.strides
        )

    def load_keras(self):
        pass

    def keras_weights(self):
        return []


class KerasGlobalPool(nn.Module):
    """Keras GlobalMax/AveragePooling 1D/2D: one value per channel over the spatial axes."""

    def __init__(self, op, spatial_dims):
        super().__init__()
        self.op = op
        self.spatial_dims = tuple(spatial_dims)

    def forward(self, x):
        return (
            x.amax(dim=self.spatial_dims)
            if self.op == "max"
            else x.mean(dim=self.spatial_dims)
        )

    def load_keras(self):
        pass

    def keras_weights(self):
        return []


class KerasBatchNorm(nn.Module):
    """Keras BatchNormalization: gamma and beta trained, the moving mean and variance kept as buffers."""

    def __init__(self, channels, channel_dim, momentum, epsilon):
        super().__init__()
        self.channel_dim = channel_dim
        # Keras's momentum weighs the old moving value; PyTorch's weighs the new batch statistic.
        self.momentum = 1.0 - momentum
        self.epsilon = epsilon
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.register_buffer("moving_mean", torch.zeros(channels))
        self.register_buffer("moving_variance", torch.ones(channels))

    def forward(self, x):
        moved = self.channel_dim != 1
        if moved:
            x = x.movedim(self.channel_dim, 1)
        y = F.batch_norm(
            x,
            self.moving_mean,
            self.moving_variance,
            self.gamma,
            self.beta,
            self.training,
            self.momentum,
            self.epsilon,
        )
        return y.movedim(1, self.channel_dim) if moved else y

    def load_keras(self, gamma, beta, moving_mean, moving_variance):
        for target, value in zip(
            (self.gamma, self.beta, self.moving_mean, self.moving_variance),
            (gamma, beta, moving_mean, moving_variance),
        ):
            target.data.copy_(as_tensor(value))

    def keras_weights(self):
        return [
            t.detach()
            for t in (self.gamma, self.beta, self.moving_mean, self.moving_variance)
        ]


class KerasLayerNorm(nn.Module):
    """Keras LayerNormalization over one axis of a channels-last tensor."""

    def __init__(self, features, axis, epsilon):
        super().__init__()
        self.axis = axis
        self.epsilon = epsilon
        self.gamma = nn.Parameter(torch.ones(features))
        self.beta = nn.Parameter(torch.zeros(features))

    def forward(self, x):
        moved = self.axis != x.dim() - 1
        if moved:
            x = x.movedim(self.axis, -1)
        y = F.layer_norm(x, self.gamma.shape, self.gamma, self.beta, self.epsilon)
        return y.movedim(-1, self.axis) if moved else y

    def load_keras(self, gamma, beta):
        self.gamma.data.copy_(as_tensor(gamma))
        self.beta.data.copy_(as_tensor(beta))

    def keras_weights(self):
        return [self.gamma.detach(), self.beta.detach()]


class KerasEmbedding(nn.Module):
    """Keras Embedding: integer ids -> rows of a (input_dim, output_dim) table, initialised U(-0.05, 0.05)."""

    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.embeddings = nn.Parameter(
            torch.empty(input_dim, output_dim).uniform_(-0.05, 0.05)
        )

    def forward(self, x):
        return F.embedding(x.long(), self.embeddings)

    def load_keras(self, embeddings):
        self.embeddings.data.copy_(as_tensor(embeddings))

    def keras_weights(self):
        return [self.embeddings.detach()]


class KerasRecurrent(nn.Module):
    """
    Keras SimpleRNN, LSTM and GRU over (batch, steps, features), with Keras's
    weights as they are: kernel (features, gates * units), recurrent_kernel
    (units, gates * units) and bias, gates in Keras's order (LSTM i, f, c, o;
    GRU z, r, h). A GRU with reset_after has two bias rows: input and recurrent.
    """

    GATES = {"simplernn": 1, "lstm": 4, "gru": 3}

    def __init__(
        self,
        cell,
        features,
        units,
        activation,
        recurrent_activation,
        use_bias,
        return_sequences,
        reset_after=False,
    ):
        super().__init__()
        self.cell = cell
        self.units = units
        self.return_sequences = return_sequences
        self.reset_after = cell == "gru" and reset_after
        width = self.GATES[cell] * units
        self.activation = keras_activation(activation)
        self.recurrent_activation = keras_activation(recurrent_activation or "sigmoid")
        self.kernel = nn.Parameter(
            glorot_uniform_(torch.empty(features, width), features, width)
        )
        self.recurrent_kernel = nn.Parameter(torch.empty(units, width))
        # Keras's Orthogonal initializer for the recurrent kernel, one orthogonal block per gate.
        for gate in range(self.GATES[cell]):
            nn.init.orthogonal_(
                self.recurrent_kernel.data[:, gate * units : (gate + 1) * units]
            )
        self.bias = None
        if use_bias:
            self.bias = nn.Parameter(
                torch.zeros((2, width) if self.reset_after else (width,))
            )
            if cell == "lstm":
                # Keras's unit_forget_bias: the forget gate starts open.
                self.bias.data[units : 2 * units] = 1.0

    def forward(self, x):
        batch, steps = x.shape[0], x.shape[1]
        projected = torch.matmul(x, self.kernel)
        if self.bias is not None:
            projected = projected + (self.bias[0] if self.reset_after else self.bias)
        h = x.new_zeros(batch, self.units)
        c = x.new_zeros(batch, self.units)
        outputs = []
        for t in range(steps):
            h, c = self.step(projected[:, t], h, c)
            if self.return_sequences:
                outputs.append(h)
        return torch.stack(outputs, dim=1) if self.return_sequences else h

    def step(self, xw, h, c):
        act, gate = self.activation, self.recurrent_activation
        u = self.units
        if self.cell == "simplernn":
            return act(xw + h @ self.recurrent_kernel), c
        if self.cell == "lstm":
            i, f, g, o = (xw + h @ self.recurrent_kernel).chunk(4, dim=1)
            c = gate(f) * c + gate(i) * act(g)
            return gate(o) * act(c), c
        xz, xr, xh = xw.chunk(3, dim=1)
        if self.reset_after:
            recurrent = h @ self.recurrent_kernel
            if self.bias is not None:
                recurrent = recurrent + self.bias[1]
            rz, rr, rh = recurrent.chunk(3, dim=1)
            z, r = gate(xz + rz), gate(xr + rr)
            candidate = act(xh + r * rh)
        else:
            kernel = self.recurrent_kernel
            z = gate(xz + h @ kernel[:, :u])
            r = gate(xr + h @ kernel[:, u : 2 * u])
            candidate = act(xh + (r * h) @ kernel[:, 2 * u :])
        return z * h + (1 - z) * candidate, c

    def load_keras(self, kernel, recurrent_kernel, bias=None):
        self.kernel.data.copy_(as_tensor(kernel))
        self.recurrent_kernel.data.copy_(as_tensor(recurrent_kernel))
        if self.bias is not None:
            self.bias.data.copy_(as_tensor(bias).reshape(self.bias.shape))

    def keras_weights(self):
        out = [self.kernel.detach(), self.recurrent_kernel.detach()]
        return out + ([self.bias.detach()] if self.bias is not None else [])


class KerasBidirectional(nn.Module):
    """Keras Bidirectional: the layer forwards, a copy over the reversed sequence, outputs merged."""

    def __init__(self, forward_layer, backward_layer, merge_mode):
        super().__init__()
        self.forward_layer = forward_layer
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode

    def forward(self, x):
        ahead = self.forward_layer(x)
        back = self.backward_layer(x.flip(1))
        if self.backward_layer.return_sequences:
            back = back.flip(1)
        if self.merge_mode == "concat":
            return torch.cat([ahead, back], dim=-1)
        if self.merge_mode == "sum":
            return ahead + back
        if self.merge_mode == "mul":
            return ahead * back
        return (ahead + back) / 2

    def load_keras(self, *weights):
        half = len(weights) // 2
        self.forward_layer.load_keras(*weights[:half])
        self.backward_layer.load_keras(*weights[half:])

    def keras_weights(self):
        return self.forward_layer.keras_weights() + self.backward_layer.keras_weights()


class KerasFunction(nn.Module):
    """A layer without weights: Flatten, Reshape, Dropout, Activation, UpSampling2D and the merges."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)

    def load_keras(self):
        pass

    def keras_weights(self):
        return []


class KerasDropout(KerasFunction):
    def __init__(self, rate):
        super().__init__(None)
        self.rate = rate

    def forward(self, x):
        return F.dropout(x, self.rate, self.training)


class KerasGaussianNoise(KerasFunction):
    """Keras GaussianNoise: adds N(0, stddev) while training; the identity at inference."""

    def __init__(self, stddev):
        super().__init__(None)
        self.stddev = stddev

    def forward(self, x):
        if not self.training or self.stddev == 0:
            return x
        return x + torch.randn_like(x) * self.stddev


class KerasGaussianDropout(KerasFunction):
    """Keras GaussianDropout: multiplies by N(1, sqrt(rate / (1 - rate))) while training."""

    def __init__(self, rate):
        super().__init__(None)
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        stddev = math.sqrt(self.rate / (1 - self.rate))
        return x * (1 + torch.randn_like(x) * stddev)


class KerasSpatialDropout(KerasFunction):
    """Keras SpatialDropout1D/2D: drops whole channels (the same at every position) while training."""

    def __init__(self, rate, channel_dim):
        super().__init__(None)
        self.rate = rate
        self.channel_dim = channel_dim

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        shape = [1] * x.dim()
        shape[0], shape[self.channel_dim] = x.shape[0], x.shape[self.channel_dim]
        return x * F.dropout(x.new_ones(shape), self.rate, True)


class KerasRandomFlip(KerasFunction):
    """
    Keras RandomFlip: while training, each image flipped left-right and/or
    upside down with probability 1/2 (drawn from torch's generator, which
    --seed seeds); the identity at inference.
    """

    def __init__(self, mode, height_dim, width_dim):
        super().__init__(None)
        self.dims = []
        if "horizontal" in mode:
            self.dims.append(width_dim)
        if "vertical" in mode:
            self.dims.append(height_dim)

    def forward(self, x):
        if not self.training:
            return x
        for dim in self.dims:
            coin = torch.rand(x.shape[0], device=x.device) < 0.5
            x = torch.where(coin.view(-1, *[1] * (x.dim() - 1)), x.flip(dim), x)
        return x


class KerasPReLU(nn.Module):
    """Keras PReLU on a channels-last tensor: alpha shaped as the input without its batch axis (1 along shared axes), zeros at first."""

    def __init__(self, alpha_shape):
        super().__init__()
        self.alpha = nn.Parameter(torch.zeros(*alpha_shape))

    def forward(self, x):
        return F.relu(x) - self.alpha * F.relu(-x)

    def load_keras(self, alpha):
        self.alpha.data.copy_(as_tensor(alpha))

    def keras_weights(self):
        return [self.alpha.detach()]


class KerasDepthwiseConv(nn.Module):
    """
    Keras DepthwiseConv2D (and, with pointwise filters, SeparableConv2D) on
    channels-first tensors: each input channel convolved with its own
    depth_multiplier kernels (a grouped convolution whose output channel
    c * depth_multiplier + j is Keras's), then for SeparableConv2D a 1x1
    convolution mixing the channels into filters outputs.
    """

    def __init__(
        self,
        in_channels,
        depth_multiplier,
        kernel_size,
        strides,
        padding,
        dilation_rate,
        activation,
        use_bias,
        filters=None,
    ):
        super().__init__()
        self.in_channels = in_channels
        self.depth_multiplier = depth_multiplier
        self.kernel_size = tuple(kernel_size)
        self.strides = tuple(strides)
        self.padding = padding
        self.dilation_rate = tuple(dilation_rate)
        middle = in_channels * depth_multiplier
        volume = math.prod(kernel_size)
        self.depthwise_kernel = nn.Parameter(torch.empty(middle, 1, *kernel_size))
        # Keras's fans of a (kh, kw, in, multiplier) kernel.
        glorot_uniform_(
            self.depthwise_kernel, volume * in_channels, volume * depth_multiplier
        )
        self.pointwise_kernel = None
        if filters is not None:
            self.pointwise_kernel = nn.Parameter(torch.empty(filters, middle, 1, 1))
            glorot_uniform_(self.pointwise_kernel, middle, filters)
        outputs = middle if filters is None else filters
        self.bias = nn.Parameter(torch.zeros(outputs)) if use_bias else None
        self.activation = keras_activation(activation, channel_dim=1)

    def forward(self, x):
        x, padding = keras_window_padding(
            x, self.padding, self.kernel_size, self.strides, self.dilation_rate
        )
        separable = self.pointwise_kernel is not None
        y = F.conv2d(
            x,
            self.depthwise_kernel,
            None if separable else self.bias,
            self.strides,
            padding,
            self.dilation_rate,
            groups=self.in_channels,
        )
        if separable:
            y = F.conv2d(y, self.pointwise_kernel, self.bias)
        return self.activation(y)

    def load_keras(self, depthwise_kernel, *rest):
        # Keras: (kh, kw, in, multiplier) -> (in * multiplier, 1, kh, kw).
        kernel = as_tensor(depthwise_kernel).permute(2, 3, 0, 1)
        self.depthwise_kernel.data.copy_(kernel.reshape(self.depthwise_kernel.shape))
        if self.pointwise_kernel is not None:
            # Keras: (1, 1, in * multiplier, filters) -> (filters, in * multiplier, 1, 1).
            pointwise, rest = rest[0], rest[1:]
            self.pointwise_kernel.data.copy_(as_tensor(pointwise).permute(3, 2, 0, 1))
        if self.bias is not None:
            self.bias.data.copy_(as_tensor(rest[0]))

    def keras_weights(self):
        kh, kw = self.kernel_size
        depthwise = self.depthwise_kernel.detach().reshape(
            self.in_channels, self.depth_multiplier, kh, kw
        )
        out = [depthwise.permute(2, 3, 0, 1)]
        if self.pointwise_kernel is not None:
            out.append(self.pointwise_kernel.detach().permute(2, 3, 1, 0))
        return out + ([self.bias.detach()] if self.bias is not None else [])


class KerasNormalization(nn.Module):
    """
    Keras Normalization: (x - mean) / max(sqrt(variance), 1e-7) per feature along
    the axis (channels-last), or with invert x * max(sqrt(variance), 1e-7) + mean. Given
    a mean and variance it holds them as constants; otherwise its mean, variance
    and count are Keras's non-trainable weights (buffers), which
    adapt_normalization() sets from the training data.
    """

    def __init__(self, features, axis, rank, mean=None, variance=None, invert=False):
        super().__init__()
        self.trailing = rank - 1 - axis
        self.invert = invert
        self.adapts = mean is None
        if self.adapts:
            self.register_buffer("mean", torch.zeros(features))
            self.register_buffer("variance", torch.ones(features))
            self.register_buffer("count", torch.zeros(()))
        else:
            # Given values are constants, not weights (Keras counts none): plain tensors, moved with the input.
            self.mean = torch.tensor(mean, dtype=torch.float32).reshape(-1)
            self.variance = torch.tensor(variance, dtype=torch.float32).reshape(-1)

    def _along_axis(self, v):
        return v.reshape([-1] + [1] * self.trailing)

    def forward(self, x):
        x = x.float()
        mean = self._along_axis(self.mean.to(x.device))
        variance = self._along_axis(self.variance.to(x.device))
        std = torch.clamp(torch.sqrt(variance), min=EPSILON)
        return x * std + mean if self.invert else (x - mean) / std

    def load_keras(self, mean=None, variance=None, count=None):
        if self.adapts:
            self.mean.copy_(as_tensor(mean))
            self.variance.copy_(as_tensor(variance))
            self.count.copy_(as_tensor(count).reshape(()))

    def keras_weights(self):
        return [self.mean, self.variance, self.count] if self.adapts else []


class KerasConvTranspose(KerasKernelBias):
    """
    Keras Conv1DTranspose/Conv2DTranspose on channels-first tensors. PyTorch's
    transposed convolution gives the full (n - 1) * stride + K steps; Keras's
    length is reached by cutting crops (before, after) per axis (TensorFlow's
    padding) or adding extra zeros at the end (output_padding), then the bias
    is added everywhere, as TensorFlow adds it.
    """

    def __init__(
        self,
        rank,
        in_channels,
        filters,
        kernel_size,
        strides,
        dilation_rate,
        crops,
        extra,
        activation,
        use_bias,
    ):
        super().__init__()
        self.rank = rank
        self.strides = tuple(strides)
        self.dilation_rate = tuple(dilation_rate)
        self.crops = crops
        self.extra = extra
        self.kernel = nn.Parameter(torch.empty(in_channels, filters, *kernel_size))
        volume = math.prod(kernel_size)
        glorot_uniform_(self.kernel, volume * filters, volume * in_channels)
        self.bias = nn.Parameter(torch.zeros(filters)) if use_bias else None
        self.activation = keras_activation(activation, channel_dim=1)
        self.convolve = F.conv_transpose1d if rank == 1 else F.conv_transpose2d

    def forward(self, x):
        y = self.convolve(
            x, self.kernel, None, self.strides, 0, 0, 1, self.dilation_rate
        )
        for i, ((before, after), extra) in enumerate(zip(self.crops, self.extra)):
            axis = 2 + i
            y = y.narrow(axis, before, y.shape[axis] - before - after)
            if extra > 0:
                pad = [0, 0] * (self.rank - 1 - i) + [0, extra]
                y = F.pad(y, pad)
        if self.bias is not None:
            y = y + self.bias.reshape([1, -1] + [1] * self.rank)
        return self.activation(y)


def _map_coord(c, size, mode):
    """TensorFlow's map_coordinate: where a coordinate outside [0, size - 1] reads, per fill mode."""
    if mode == "constant":
        return c
    if size <= 1:
        return torch.zeros_like(c)
    if mode == "reflect":
        # [abcd] reflected to [dcba|abcd|dcba].
        sz2 = 2 * size
        below = torch.where(c < sz2, sz2 * torch.trunc(-c / sz2) + c, c)
        below = torch.where(below < -size, below + sz2, -below - 1)
        above = c - sz2 * torch.trunc(c / sz2)
        above = torch.where(above >= size, sz2 - above - 1, above)
        c = torch.where(c < 0, below, torch.where(c > size - 1, above, c))
    elif mode == "wrap":
        # [abcd] wrapped to [abcd|abcd|abcd].
        below = c + size * (torch.trunc(-c / (size - 1)) + 1)
        above = c - size * torch.trunc(c / (size - 1))
        c = torch.where(c < 0, below, torch.where(c > size - 1, above, c))
    return c.clamp(0, size - 1)


def keras_affine(images, transforms, interpolation, fill_mode, fill_value):
    """
    Keras's affine_transform (TensorFlow's ImageProjectiveTransformV3) of
    channels-last images (N, H, W, C): output pixel (x, y) reads the input at
    ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1, with
    transforms (N, 8) and TensorFlow's fill modes; a gather, so gradients flow.
    """
    n, h, w, c = images.shape
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=torch.float64, device=images.device),
        torch.arange(w, dtype=torch.float64, device=images.device),
        indexing="ij",
    )
    t = transforms.to(torch.float64)[:, :, None, None]
    projection = t[:, 6] * xs + t[:, 7] * ys + 1
    safe = torch.where(projection == 0, torch.ones_like(projection), projection)
    in_x = _map_coord((t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / safe, w, fill_mode)
    in_y = _map_coord((t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / safe, h, fill_mode)
    flat = images.reshape(n * h * w, c)
    batch = torch.arange(n, device=images.device)[:, None, None]
    out = torch.zeros_like(images)
    fill = torch.zeros_like(in_x)

    def read(row, col, weight):
        nonlocal out, fill
        inside = (row >= 0) & (row < h) & (col >= 0) & (col < w)
        index = (batch * h + row.clamp(0, h - 1)) * w + col.clamp(0, w - 1)
        values = flat[index.reshape(-1)].reshape(n, h, w, c)
        out = out + values * (weight * inside).to(images.dtype)[..., None]
        fill = fill + weight * (~inside)

    if interpolation == "nearest":
        # std::round: halves away from zero.
        round_away = lambda v: (torch.sign(v) * torch.floor(v.abs() + 0.5)).long()
        read(round_away(in_y), round_away(in_x), torch.ones_like(in_x))
    else:
        y0, x0 = torch.floor(in_y), torch.floor(in_x)
        dy, dx = in_y - y0, in_x - x0
        y0, x0 = y0.long(), x0.long()
        read(y0, x0, (1 - dy) * (1 - dx))
        read(y0, x0 + 1, (1 - dy) * dx)
        read(y0 + 1, x0, dy * (1 - dx))
        read(y0 + 1, x0 + 1, dy * dx)
    out = out + fill.to(images.dtype)[..., None] * fill_value
    return torch.where(
        (projection == 0)[..., None], torch.full_like(out, fill_value), out
    )


def _factor_range(factor):
    """[lower, upper] of a Keras factor: f means -f to f, a pair is sorted."""
    if isinstance(factor, (list, tuple)):
        return sorted(factor)
    return -abs(factor), abs(factor)


def _uniform(n, low, high, device):
    return torch.rand(n, dtype=torch.float64, device=device) * (high - low) + low


class KerasRandomTransform(nn.Module):
    """
    Keras's RandomRotation, RandomZoom and RandomTranslation on channels-last
    images: while training, an affine transform per image drawn from torch's
    generator (seeded by --seed); at inference the image as it is (float32).
    """

    def __init__(self, kind, factors, fill_mode, interpolation, fill_value):
        super().__init__()
        self.kind = kind
        self.factors = factors
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def forward(self, x):
        x = x.float()
        if not self.training:
            return x
        n, h, w = x.shape[0], x.shape[1], x.shape[2]
        one, zero = torch.ones(n, dtype=torch.float64, device=x.device), torch.zeros(
            n, dtype=torch.float64, device=x.device
        )
        if self.kind == "rotation":
            angle = _uniform(n, *_factor_range(self.factors[0]), x.device) * 2 * math.pi
            cos, sin = torch.cos(angle), torch.sin(angle)
            cx, cy = (w - 1) / 2, (h - 1) / 2
            rows = [
                cos,
                -sin,
                cx - cx * cos + cy * sin,
                sin,
                cos,
                cy - cx * sin - cy * cos,
            ]
        elif self.kind == "zoom":
            height_factor, width_factor = self.factors
            zy = 1 + _uniform(n, *_factor_range(height_factor), x.device)
            zx = (
                zy
                if width_factor is None
                else 1 + _uniform(n, *_factor_range(width_factor), x.device)
            )
            rows = [zx, zero, (w - 1) / 2 * (1 - zx), zero, zy, (h - 1) / 2 * (1 - zy)]
        else:
            dy = _uniform(n, *_factor_range(self.factors[0]), x.device) * h
            dx = _uniform(n, *_factor_range(self.factors[1]), x.device) * w
            rows = [one, zero, -dx, zero, one, -dy]
        transforms = torch.stack(rows + [zero, zero], dim=1)
        return keras_affine(
            x, transforms, self.interpolation, self.fill_mode, self.fill_value
        )

    def load_keras(self):
        pass

    def keras_weights(self):
        return []


class KerasRandomContrast(KerasRandomTransform):
    """Keras's RandomContrast: while training (x - mean) * factor + mean per image and channel, factor in [1 - f, 1 + f], clipped to value_range."""

    def __init__(self, factor, value_range):
        nn.Module.__init__(self)
        self.factor = factor
        self.value_range = value_range

    def forward(self, x):
        x = x.float()
        if not self.training:
            return x
        lower, upper = (
            self.factor
            if isinstance(self.factor, (list, tuple))
            else (self.factor, self.factor)
        )
        contrast = _uniform(x.shape[0], 1 - lower, 1 + upper, x.device).float()[
            :, None, None, None
        ]
        mean = x.mean(dim=(1, 2), keepdim=True)
        return ((x - mean) * contrast + mean).clamp(
            self.value_range[0], self.value_range[1]
        )


def centred_window(in_h, in_w, height, width):
    """Keras's RandomCrop window at inference: the largest centred window of the crop's aspect ratio (top, left, h, w)."""
    h = max(min(in_h, int(in_w * height / width)), 1)
    w = max(min(in_w, int(in_h * width / height)), 1)
    return int((in_h - h) / 2), int((in_w - w) / 2), h, w


class KerasRandomCrop(KerasRandomTransform):
    """Keras's RandomCrop: while training one random window for the batch; otherwise the centred window, resized as tf.image.resize does."""

    def __init__(self, height, width):
        nn.Module.__init__(self)
        self.height, self.width = height, width

    def forward(self, x):
        x = x.float()
        in_h, in_w = x.shape[1], x.shape[2]
        if self.training and in_h > self.height and in_w > self.width:
            top = int(torch.randint(0, in_h - self.height + 1, ()))
            left = int(torch.randint(0, in_w - self.width + 1, ()))
            return x[:, top : top + self.height, left : left + self.width]
        top, left, h, w = centred_window(in_h, in_w, self.height, self.width)
        window = x[:, top : top + h, left : left + w]
        if (h, w) == (self.height, self.width):
            return window
        # Bilinear with half-pixel centres, clamped at the edges: PyTorch's align_corners=False is TensorFlow's half_pixel_centers.
        resized = F.interpolate(
            window.permute(0, 3, 1, 2),
            size=(self.height, self.width),
            mode="bilinear",
            align_corners=False,
        )
        return resized.permute(0, 2, 3, 1)


def adapt_normalization(model, xs, batch_size=256):
    """
    Keras's adapt() for every KerasNormalization that was given no mean and
    variance, in the model's order: the mean and population variance of each
    feature of what reaches it when the inputs xs (one tensor per model
    input) are fed through the model (eval mode), summed in float64 batch by
    batch.
    """
    for layer in [
        m for m in model.modules() if isinstance(m, KerasNormalization) and m.adapts
    ]:
        sums = {}

        def collect(_module, inputs):
            v = inputs[0].detach().double()
            axis = v.dim() - 1 - layer.trailing
            v = v.movedim(axis, -1).reshape(-1, v.shape[axis])
            sums["n"] = sums.get("n", 0) + v.shape[0]
            sums["s"] = sums.get("s", 0) + v.sum(0)
            sums["q"] = sums.get("q", 0) + (v * v).sum(0)

        hook = layer.register_forward_pre_hook(collect)
        was_training = model.training
        model.eval()
        with torch.no_grad():
            for start in range(0, xs[0].shape[0], batch_size):
                model(*[x[start : start + batch_size] for x in xs])
        model.train(was_training)
        hook.remove()
        if not sums:
            continue
        mean = sums["s"] / sums["n"]
        layer.mean.copy_(mean.float())
        layer.variance.copy_((sums["q"] / sums["n"] - mean * mean).clamp(min=0).float())
        layer.count.fill_(float(sums["n"]))


def keras_flatten(x):
    return x.reshape(x.shape[0], -1)


def keras_reshape(target_shape):
    return lambda x: x.reshape(x.shape[0], *target_shape)


def keras_upsample(size, interpolation, spatial_dims):
    if interpolation == "nearest":

        def upsample(x):
            for dim, factor in zip(spatial_dims, size):
                x = x.repeat_interleave(factor, dim=dim)
            return x

        return upsample
    # Channels-first here; TensorFlow 2's bilinear resize uses half-pixel centers, as align_corners=False does.
    return lambda x: F.interpolate(
        x, scale_factor=tuple(size), mode="bilinear", align_corners=False
    )


def keras_zero_pad(padding):
    """Keras ZeroPadding2D on channels-first tensors: (rows, columns) of zeros on each side."""
    rows, columns = padding
    return lambda x: F.pad(x, (columns, columns, rows, rows))


def keras_relu(max_value, negative_slope, threshold):
    """Keras ReLU: x from threshold up (capped at max_value), negative_slope * (x - threshold) below."""

    def relu(x):
        y = F.relu(x) if threshold == 0 else x * (x >= threshold)
        if max_value is not None:
            y = y.clamp_max(max_value)
        if negative_slope != 0:
            y = y + negative_slope * (x - threshold).clamp_max(0)
        return y

    return relu


def keras_rescaling(scale, offset):
    """Keras Rescaling: x * scale + offset, integer pixels made floats first."""
    return lambda x: x.to(torch.float32) * scale + offset


def keras_repeat_vector(n):
    """Keras RepeatVector: (batch, features) -> (batch, n, features)."""
    return lambda x: x.unsqueeze(1).expand(-1, n, -1)


def keras_permute(dims):
    """Keras Permute of a channels-last tensor: dims number the axes after the batch from 1."""
    return lambda x: x.permute(0, *dims)


def keras_crop(crops, spatial_dims):
    """Keras Cropping1D/2D: (before, after) cut off each spatial axis."""

    def crop(x):
        for (before, after), dim in zip(crops, spatial_dims):
            x = x.narrow(dim, before, x.shape[dim] - before - after)
        return x

    return crop


def keras_zero_pad_axes(pads, spatial_dims):
    """Keras ZeroPadding1D: (before, after) zeros on each spatial axis, wherever the layout puts it."""

    def pad(x):
        spec = [0] * (2 * x.dim())
        for (before, after), dim in zip(pads, spatial_dims):
            at = 2 * (x.dim() - 1 - dim)
            spec[at], spec[at + 1] = before, after
        return F.pad(x, spec)

    return pad


def keras_dot(a, b, axes, normalize):
    """Keras Dot: per sample, the products summed over axis axes[0] of a and axes[1] of b."""
    if normalize:
        a, b = F.normalize(a, dim=axes[0]), F.normalize(b, dim=axes[1])
    a, b = a.movedim(axes[0], -1), b.movedim(axes[1], 1)
    rest_a, rest_b = a.shape[1:-1], b.shape[2:]
    out = torch.bmm(
        a.reshape(a.shape[0], -1, a.shape[-1]), b.reshape(b.shape[0], b.shape[1], -1)
    )
    out = out.reshape(a.shape[0], *rest_a, *rest_b)
    return out.reshape(a.shape[0], 1) if out.dim() == 1 else out


def _same_rank(xs):
    """Keras's merges give a lower-rank input new axes after the batch, so shapes align on their last axes."""
    rank = max(x.dim() for x in xs)
    return [x.reshape(x.shape[0], *([1] * (rank - x.dim())), *x.shape[1:]) for x in xs]


def keras_merge(mode, axis=-1, axes=None, normalize=False):
    if mode == "concat":
        return lambda *xs: torch.cat(xs, dim=axis)
    if mode == "dot":
        return lambda a, b: keras_dot(a, b, axes, normalize)
    combine = {
        "add": lambda xs: functools.reduce(torch.add, xs),
        "subtract": lambda xs: xs[0] - xs[1],
        "multiply": lambda xs: functools.reduce(torch.mul, xs),
        "average": lambda xs: functools.reduce(torch.add, xs) / len(xs),
        "maximum": lambda xs: functools.reduce(torch.maximum, xs),
        "minimum": lambda xs: functools.reduce(torch.minimum, xs),
    }[mode]
    return lambda *xs: combine(_same_rank(xs))


def load_keras_weights(model, named_arrays):
    """Loads Keras-ordered weights, grouped by layer name (the first part of a Keras weight name)."""
    by_layer = {}
    for name, array in named_arrays:
        by_layer.setdefault(name.split("/")[0], []).append(array)
    for keras_name, attribute in model.KERAS_LAYERS.items():
        getattr(model, attribute).load_keras(*by_layer.get(keras_name, []))


def keras_weights(model):
    """(Keras layer name, arrays) in Keras's order, channels-last, as TensorFlow.js saves them."""
    return [
        (
            keras_name,
            [
                w.cpu().contiguous().numpy()
                for w in getattr(model, attribute).keras_weights()
            ],
        )
        for keras_name, attribute in model.KERAS_LAYERS.items()
    ]


def read_mlc_save(directory):
    """The model weights of a folder saved by mlc train -o (model.json and weights.bin), by name."""
    try:
        with open(os.path.join(directory, "model.json")) as f:
            manifest = json.load(f)["weightsManifest"]
        raw = np.fromfile(os.path.join(directory, "weights.bin"), dtype=np.uint8)
    except (OSError, KeyError, ValueError) as e:
        raise UserError(f"{directory} is not a model saved by mlc train -o ({e})")
    out, offset = [], 0
    for spec in (w for group in manifest for w in group["weights"]):
        count = math.prod(spec["shape"])
        dtype = np.int32 if spec.get("dtype") == "int32" else np.float32
        size = count * 4
        if spec.get("group") != "optimizer":
            out.append(
                (
                    spec["name"],
                    raw[offset : offset + size].view(dtype).reshape(spec["shape"]),
                )
            )
        offset += size
    return out


def count_parameters(model):
    """(trainable, non-trainable) as Keras counts them: the moving statistics are non-trainable."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    return trainable, frozen + sum(b.numel() for b in model.buffers())


# ----------------------------------------------------------------------------
# Losses, metrics and optimizers as Keras defines them
# ----------------------------------------------------------------------------

EPSILON = 1e-7


def _clip(p):
    return p.clamp(EPSILON, 1.0 - EPSILON)


def _signed(y):
    # Keras's hinge losses take 0/1 labels as -1/1.
    return torch.where((y == 0) | (y == 1), 2 * y - 1, y)


def _sparse_labels(y):
    return y.reshape(-1).long()


def categorical_crossentropy(y, p):
    return -(y * torch.log(_clip(p / p.sum(-1, keepdim=True)))).sum(-1)


def sparse_categorical_crossentropy(y, p):
    p = _clip(p / p.sum(-1, keepdim=True))
    return -torch.log(p.gather(-1, _sparse_labels(y).unsqueeze(-1))).squeeze(-1)


def binary_crossentropy(y, p):
    p = _clip(p)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean(-1)


def _categorical_hinge(y, p):
    positive = (y * p).sum(-1)
    negative = ((1 - y) * p).amax(-1)
    return (negative - positive + 1).clamp_min(0)


def _kl_divergence(y, p):
    y, p = y.clamp(EPSILON, 1), p.clamp(EPSILON, 1)
    return (y * torch.log(y / p)).sum(-1)


def _log_cosh(y, p):
    d = p - y
    return (d + F.softplus(-2 * d) - math.log(2.0)).mean(-1)


# Per-sample losses, as Keras computes them from probabilities (clipped to [1e-7, 1 - 1e-7]).
LOSSES = {
    "mse": lambda y, p: (p - y).square().mean(-1),
    "mae": lambda y, p: (p - y).abs().mean(-1),
    "mape": lambda y, p: 100 * ((y - p).abs() / y.abs().clamp_min(EPSILON)).mean(-1),
    "msle": lambda y, p: (
        torch.log1p(p.clamp_min(EPSILON)) - torch.log1p(y.clamp_min(EPSILON))
    )
    .square()
    .mean(-1),
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "hinge": lambda y, p: (1 - _signed(y) * p).clamp_min(0).mean(-1),
    "squared_hinge": lambda y, p: (1 - _signed(y) * p).clamp_min(0).square().mean(-1),
    "categorical_hinge": _categorical_hinge,
    "kl_divergence": _kl_divergence,
    "poisson": lambda y, p: (p - y * torch.log(p + EPSILON)).mean(-1),
    "log_cosh": _log_cosh,
}


# The same losses on raw scores (from_logits=True): softmax or sigmoid inside, unclipped.
LOGIT_LOSSES = {
    "categorical_crossentropy": lambda y, z: -(y * F.log_softmax(z, -1)).sum(-1),
    "sparse_categorical_crossentropy": lambda y, z: -F.log_softmax(z, -1)
    .gather(-1, _sparse_labels(y).unsqueeze(-1))
    .squeeze(-1),
    "binary_crossentropy": lambda y, z: F.binary_cross_entropy_with_logits(
        z, y, reduction="none"
    ).mean(-1),
}


def loss_function(name, from_logits=False):
    return LOGIT_LOSSES[name] if from_logits else LOSSES[name]


def _top_k(sparse):
    def metric(y, p):
        label = _sparse_labels(y) if sparse else y.argmax(-1)
        top = p.topk(min(5, p.shape[-1]), dim=-1).indices
        return (top == label.unsqueeze(-1)).any(-1).float()

    return metric


PER_SAMPLE_METRICS = {
    "binary_accuracy": lambda y, p: (y == (p > 0.5).float()).float().mean(-1),
    "categorical_accuracy": lambda y, p: (y.argmax(-1) == p.argmax(-1)).float(),
    "sparse_categorical_accuracy": lambda y, p: (
        _sparse_labels(y) == p.argmax(-1)
    ).float(),
    "top_k_categorical_accuracy": _top_k(False),
    "sparse_top_k_categorical_accuracy": _top_k(True),
    "mse": LOSSES["mse"],
    "mae": LOSSES["mae"],
    "mape": LOSSES["mape"],
    "msle": LOSSES["msle"],
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}


class Metric:
    """Sums added up over an epoch's batches, and the score they give (Keras's stateful metrics)."""

    def __init__(self, name, loss, output_units):
        self.name = name
        if name in ("precision", "recall"):
            self.width = 2
            self.fn = None
            return
        if name == "accuracy":
            if loss == "binary_crossentropy" or output_units == 1:
                name = "binary_accuracy"
            elif loss == "sparse_categorical_crossentropy":
                name = "sparse_categorical_accuracy"
            else:
                name = "categorical_accuracy"
        self.width = 1
        self.fn = PER_SAMPLE_METRICS[name]

    def sums(self, y, p):
        if self.fn is not None:
            # Keras's Mean metric adds up the per-sample values.
            return [self.fn(y, p).sum()]
        predicted = p > 0.5
        actual = y == 1
        true_positives = (predicted & actual).sum().float()
        return [
            true_positives,
            (predicted if self.name == "precision" else actual).sum().float(),
        ]

    def score(self, totals, count):
        if self.fn is not None:
            return totals[0] / count
        return totals[0] / totals[1] if totals[1] > 0 else 0.0


def keras_optimizer(name, args, parameters):
    """A torch.optim optimizer with Keras's defaults (RMSprop rho 0.9, epsilon 1e-7, ...)."""
    lr = args["learning_rate"]
    if name == "sgd":
        return torch.optim.SGD(
            parameters, lr=lr, momentum=args["momentum"], nesterov=args["nesterov"]
        )
    if name == "rmsprop":
        return torch.optim.RMSprop(
            parameters,
            lr=lr,
            alpha=args["rho"],
            eps=args["epsilon"],
            momentum=args["momentum"],
            centered=args["centered"],
        )
    if name == "adam":
        return torch.optim.Adam(
            parameters,
            lr=lr,
            betas=(args["beta_1"], args["beta_2"]),
            eps=args["epsilon"],
            amsgrad=args["amsgrad"],
        )
    if name == "adagrad":
        return torch.optim.Adagrad(
            parameters,
            lr=lr,
            initial_accumulator_value=args["initial_accumulator_value"],
            eps=args["epsilon"],
        )
    if name == "adadelta":
        return torch.optim.Adadelta(
            parameters, lr=lr, rho=args["rho"], eps=args["epsilon"]
        )
    if name == "adamax":
        return torch.optim.Adamax(
            parameters,
            lr=lr,
            betas=(args["beta_1"], args["beta_2"]),
            eps=args["epsilon"],
        )
    raise UserError(f"optimizer {name} has no PyTorch equivalent here")


class Objective:
    """
    Each output's loss, loss weight and metrics. Scores are named as Keras
    names them: loss and the metric names for one output; for several, loss
    (the weighted total) and NAME_loss, NAME_METRIC per output.
    """

    def __init__(self, outputs):
        self.outputs = [
            (
                o,
                loss_function(o["loss"], o["from_logits"]),
                [Metric(name, o["loss"], o["units"]) for name in o["metrics"]],
            )
            for o in outputs
        ]
        self.several = len(outputs) > 1
        self.width = 1 + sum(
            int(self.several) + sum(m.width for m in metrics)
            for _, _, metrics in self.outputs
        )

    def losses(self, ys, ps, weights=None):
        """Each output's per-sample loss; class or sample weights scale each sample's."""
        out = []
        for (_, fn, _), y, p in zip(self.outputs, ys, ps):
            loss = fn(y, p)
            if weights is not None:
                loss = loss * weights.reshape(-1, *[1] * (loss.dim() - 1))
            out.append(loss)
        return out

    def batch_sum(self, losses):
        """The loss summed over the batch's samples: the weighted outputs' means times the batch size."""
        total = None
        for (o, _, _), loss in zip(self.outputs, losses):
            # A weight of 1 multiplies nothing: one tensor operation (and its gradient) fewer per batch.
            mean = loss.mean() if o["weight"] == 1 else o["weight"] * loss.mean()
            part = mean * loss.shape[0]
            total = part if total is None else total + part
        return total

    def sums(self, ys, ps, losses, total=None):
        """
        The batch's sums (total loss, then per output its loss and metric sums) as
        one float64 tensor, added up over an epoch; total: batch_sum(losses) when
        the caller has it already.
        """
        parts = [self.batch_sum(losses) if total is None else total.detach()]
        for (_, _, metrics), y, p, loss in zip(self.outputs, ys, ps, losses):
            if self.several:
                parts.append(loss.mean() * loss.shape[0])
            parts += [s for m in metrics for s in m.sums(y, p)]
        if all(s.dtype == parts[0].dtype for s in parts):
            return torch.stack(parts).double()
        return torch.stack([s.double() for s in parts])

    def scores(self, totals, count):
        scores = {"loss": totals[0] / count}
        at = 1
        for o, _, metrics in self.outputs:
            prefix = o["name"] + "_" if self.several else ""
            if self.several:
                scores[prefix + "loss"] = totals[at] / count
                at += 1
            for m in metrics:
                scores[prefix + m.name] = m.score(totals[at : at + m.width], count)
                at += m.width
        return scores


def as_outputs(p):
    """The model's outputs as a list (one tensor for a one-output model)."""
    return list(p) if isinstance(p, (tuple, list)) else [p]


# ----------------------------------------------------------------------------
# The fit section: Keras 3's learning-rate schedules, callbacks, class weights
# ----------------------------------------------------------------------------


def learning_rate_at(schedule, step):
    """
    A keras.optimizers.schedules rate at the optimizer's step (the batches
    trained before this one, so the first batch uses step 0), line by line
    as keras/src/optimizers/schedules/learning_rate_schedule.py computes it.
    """
    name, a = schedule["name"], schedule["args"]
    if name in ("exponential_decay", "inverse_time_decay"):
        p = step / a["decay_steps"]
        if a.get("staircase"):
            p = math.floor(p)
        if name == "exponential_decay":
            return a["initial_learning_rate"] * a["decay_rate"] ** p
        return a["initial_learning_rate"] / (1 + a["decay_rate"] * p)
    if name == "polynomial_decay":
        initial = a["initial_learning_rate"]
        end = a.get("end_learning_rate", 0.0001)
        decay_steps = a["decay_steps"]
        s = step
        if a.get("cycle"):
            decay_steps *= 1 if s == 0 else math.ceil(s / decay_steps)
        else:
            s = min(s, decay_steps)
        return (initial - end) * (1 - s / decay_steps) ** a.get("power", 1.0) + end
    if name == "cosine_decay":
        decay_steps = a["decay_steps"]
        alpha = a.get("alpha", 0.0)

        def decay(s, start):
            cosine = 0.5 * (1 + math.cos(math.pi * (s / decay_steps)))
            return start * ((1 - alpha) * cosine + alpha)

        initial, target = a["initial_learning_rate"], a.get("warmup_target")
        if target is None:
            return decay(min(step, decay_steps), initial)
        warmup = a.get("warmup_steps", 0)
        s = min(step, decay_steps + warmup)
        if s < warmup:
            return (target - initial) * (s / warmup) + initial
        return decay(s - warmup, target)
    if name == "piecewise_constant_decay":
        # values[i] holds while step <= boundaries[i].
        for boundary, value in zip(a["boundaries"], a["values"]):
            if step <= boundary:
                return value
        return a["values"][len(a["boundaries"])]
    raise UserError(f"unknown learning-rate schedule {name}")


def set_learning_rate(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr


def learning_rate_of(optimizer):
    return optimizer.param_groups[0]["lr"]


class EarlyStopping:
    """Keras 3's EarlyStopping (keras/src/callbacks/early_stopping.py); epochs 0-based as Keras counts them."""

    def __init__(
        self,
        monitor,
        direction,
        min_delta,
        patience,
        restore_best_weights,
        start_from_epoch,
        baseline=None,
    ):
        self.monitor, self.direction, self.min_delta = monitor, direction, min_delta
        self.patience, self.baseline = patience, baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait, self.best, self.have_weights = 0, None, False
        self.best_epoch, self.stopped_epoch, self.missing = 0, None, False

    def improves(self, value, reference):
        if reference is None:
            return True
        if self.direction == "max":
            return value - self.min_delta > reference
        return value + self.min_delta < reference

    def on_epoch_end(self, epoch, logs):
        """(keep a copy of the weights: they are the best so far, stop after this epoch)."""
        current = logs.get(self.monitor)
        if current is None:
            self.missing = True
            return False, False
        if epoch < self.start_from_epoch:
            return False, False
        keep = False
        if self.restore_best_weights and not self.have_weights:
            # The first watched epoch's weights are the best until one improves on them.
            keep = self.have_weights = True
            self.best_epoch = epoch
        self.wait += 1
        if self.improves(current, self.best):
            self.best, self.best_epoch = current, epoch
            keep = keep or self.restore_best_weights
            # Waiting restarts only when both the baseline and the previous best are beaten.
            if self.baseline is None or self.improves(current, self.baseline):
                self.wait = 0
            return keep, False
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            return keep, True
        return keep, False

    @property
    def restores(self):
        return self.restore_best_weights and self.have_weights


class ModelCheckpoint:
    """Keras 3's ModelCheckpoint choice of which epochs to save (save_best_only keeps improvements only)."""

    def __init__(
        self, monitor, direction, save_best_only, initial_value_threshold=None
    ):
        self.monitor, self.direction = monitor, direction
        self.save_best_only = save_best_only
        self.best, self.missing = initial_value_threshold, False

    def on_epoch_end(self, epoch, logs):
        """Whether to save the model as it is after this epoch."""
        if not self.save_best_only:
            return True
        current = logs.get(self.monitor)
        if current is None:
            self.missing = True
            return False
        if self.best is not None:
            if self.direction == "max":
                better = current > self.best
            else:
                better = current < self.best
            if not better:
                return False
        self.best = current
        return True


class ReduceLROnPlateau:
    """Keras 3's ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py): the rate for the next epoch."""

    def __init__(
        self, monitor, direction, factor, patience, min_delta, cooldown, min_lr
    ):
        self.monitor, self.direction, self.factor = monitor, direction, factor
        self.patience, self.min_delta, self.cooldown = patience, min_delta, cooldown
        self.min_lr = min_lr
        self.wait, self.cooldown_counter, self.missing = 0, 0, False
        self.best = -math.inf if direction == "max" else math.inf

    def on_epoch_end(self, epoch, logs, lr):
        current = logs.get(self.monitor)
        if current is None:
            self.missing = True
            return lr
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self.direction == "max":
            better = current > self.best + self.min_delta
        else:
            better = current < self.best - self.min_delta
        if better:
            self.best, self.wait = current, 0
            return lr
        if self.cooldown_counter > 0:
            return lr
        self.wait += 1
        # Keras compares with the float32 rounding of min_lr.
        if self.wait < self.patience or not lr > float(np.float32(self.min_lr)):
            return lr
        self.cooldown_counter, self.wait = self.cooldown, 0
        return max(lr * self.factor, self.min_lr)


def classes_of(labels):
    """Each label's class: the argmax of a one-hot row, else the value rounded."""
    rows = labels.reshape(labels.shape[0], -1)
    if rows.shape[1] == 1:
        return torch.floor(rows[:, 0] + 0.5).long()
    return rows.argmax(1)


def class_sample_weights(class_weight, labels, count):
    """
    Keras's class_weight as one float32 weight for each of the first count
    samples: the map's weight of the sample's class (1 for classes it leaves
    out), or balanced: scikit-learn's n_samples / (n_classes * count of the
    class), counted over all the labels given.
    """
    classes = classes_of(labels)
    present, counts = torch.unique(classes, return_counts=True)
    table = {}
    for c, n in zip(present.tolist(), counts.tolist()):
        if class_weight == "balanced":
            table[c] = classes.shape[0] / (present.shape[0] * n)
        else:
            table[c] = float(class_weight.get(str(c), 1))
    weights = [table[c] for c in classes[:count].tolist()]
    return torch.tensor(weights, dtype=torch.float32)


def make_callbacks(configs):
    """The fit section's callbacks (CALLBACKS) as their state machines, by name."""
    kinds = {
        "early_stopping": EarlyStopping,
        "model_checkpoint": ModelCheckpoint,
        "reduce_lr_on_plateau": ReduceLROnPlateau,
    }
    return {name: kinds[name](**config) for name, config in configs.items()}


# ----------------------------------------------------------------------------
# Data: arrays:DIR, the exchange folder mlc writes (meta.json + raw arrays)
# ----------------------------------------------------------------------------


def read_arrays(spec):
    """
    Splits {train, validation?, test?} of (inputs, targets): lists of tensors
    in the model's order; and the training split's sample weights (Keras's
    sample_weight) when the data has them, else None.
    """
    if not spec.startswith("arrays:"):
        raise UserError(
            f"--data {spec}: this program reads arrays:DIR; mlc reads mnist, idx:, csv:, "
            f"images: and json: data: mlc train SPEC --engine torch --data {spec}, or "
            f"mlc emit SPEC --target pytorch --data {spec} -o FILE.py to write the arrays"
        )
    directory = spec[len("arrays:") :]

    def read(a):
        path = os.path.join(directory, a["file"])
        array = np.fromfile(path, dtype=np.dtype(a["dtype"])).reshape(a["shape"])
        return torch.from_numpy(array)

    try:
        with open(os.path.join(directory, "meta.json")) as f:
            meta = json.load(f)
        splits = {
            split: ([read(a) for a in m["xs"]], [read(a) for a in m["ys"]])
            for split, m in meta["splits"].items()
        }
        weights = meta["splits"].get("train", {}).get("weights")
        return splits, None if weights is None else read(weights)
    except (OSError, KeyError, ValueError, TypeError) as e:
        raise UserError(f"--data {spec}: cannot read the arrays ({e})")


def rows(split, start, stop):
    xs, ys = split
    return [x[start:stop] for x in xs], [y[start:stop] for y in ys]


def hold_out(split, fraction):
    """Keras's validation_split: the last fraction of the samples, before any shuffling."""
    count = split[0][0].shape[0]
    # Keras's split point; too few samples to split trains on all of them.
    split_at = int(math.floor(count * (1.0 - fraction)))
    if split_at <= 0 or split_at >= count:
        return split, None
    return rows(split, 0, split_at), rows(split, split_at, count)


# ----------------------------------------------------------------------------
# Training: one process, or DistributedDataParallel over WORLD_SIZE processes
# ----------------------------------------------------------------------------


class Reporter:
    """Progress from rank 0: one line per epoch for people, or JSON events for mlc (--progress jsonl)."""

    def __init__(self, mode, rank):
        self.mode = mode
        self.rank = rank

    def event(self, kind, **fields):
        if self.rank != 0:
            return
        if self.mode == "jsonl":
            print(json.dumps({"event": kind, **fields}), flush=True)
        elif kind == "epoch_end":
            scores = " · ".join(
                f"{k} {v:.4g}" if k == "learning_rate" else f"{k} {v:.4f}"
                for k, v in fields["record"].items()
                if k != "samplesPerSec"
            )
            print(
                f"epoch {fields['epoch']}/{fields['epochs']}: {scores} · "
                f"{fields['record']['samplesPerSec']:.0f} samples/s · {fields['seconds']:.1f}s",
                flush=True,
            )
        elif kind == "stopped":
            print(f"early_stopping: stopped after epoch {fields['epoch']}", flush=True)
        elif kind == "restored":
            print(
                f"early_stopping: restored the weights of epoch {fields['epoch']}, "
                f"the best {fields['monitor']}",
                flush=True,
            )
        elif kind == "saved":
            print(f"saved: the weights of epoch {fields['epoch']}", flush=True)
        elif kind == "test":
            print(
                "test: "
                + " · ".join(f"{k} {v:.4f}" for k, v in fields["scores"].items()),
                flush=True,
            )


class NonFiniteLoss(Exception):
    pass


def evaluate(model, objective, split, batch_size, device):
    """Keras's evaluate(): the loss and metrics over all samples, in batches, without dropout."""
    xs, ys = split
    count = xs[0].shape[0]
    model.eval()
    totals = torch.zeros(objective.width, dtype=torch.float64)
    penalized = penalized_outputs(model)
    with torch.no_grad():
        for start in range(0, count, batch_size):
            xb, yb = rows(split, start, start + batch_size)
            xb, yb = [x.to(device) for x in xb], [y.to(device) for y in yb]
            ps = as_outputs(model(*xb))
            totals += objective.sums(yb, ps, objective.losses(yb, ps)).cpu()
            if penalized:
                # The activity penalty of this batch, as Keras adds it to each batch's loss.
                totals[0] += float(activity_loss(model, penalized)) * xb[0].shape[0]
        # Keras's evaluate() reports the regularized loss too.
        totals[0] += float(regularization_loss(model)) * count
    model.train()
    return objective.scores(totals.tolist(), count)


def agree(record, world):
    """Rank 0's epoch record on every process, so that the callbacks decide alike."""
    if world == 1:
        return record
    values = torch.tensor(list(record.values()), dtype=torch.float64)
    torch.distributed.broadcast(values, 0)
    return dict(zip(record, values.tolist()))


def fit(
    model,
    module,
    objective,
    optimizer,
    train,
    validation,
    epochs,
    batch_size,
    shuffle,
    seed,
    device,
    reporter,
    on_epoch_end,
    world,
    rank,
    initial_epoch=0,
    sample_weights=None,
    schedule=None,
    callbacks=None,
    interrupt=None,
):
    """
    Keras's fit() on (inputs, targets): each epoch a permutation seeded by
    (seed, epoch), batches of batch_size samples split evenly over the
    processes, the loss and metric sums added up on the device and read once
    per report. The gradient of every batch is the mean over all of its
    samples, however many processes share it. A schedule sets the rate
    before every batch from Keras's step count; the callbacks act after every
    epoch. Returns the epochs' records, and where early stopping stopped and
    which epoch's weights it put back (1-based, or None). An interrupt stops
    it between batches (KeyboardInterrupt).
    """
    callbacks = callbacks or {}
    if interrupt is not None:
        interrupt.deferred = True
    early = callbacks.get("early_stopping")
    plateau = callbacks.get("reduce_lr_on_plateau")
    xs, ys = train
    count = xs[0].shape[0]
    batches = -(-count // batch_size)
    history, stopped, best_weights = [], None, None
    regularized = regularized_weights(module)
    penalized = penalized_outputs(module)
    # The arrays live on the CPU: on it, the batches need no copy (and no .to() per batch).
    to_device = device.type != "cpu"
    parameters = [p for group in optimizer.param_groups for p in group["params"]]
    for epoch in range(initial_epoch + 1, epochs + 1):
        reporter.event("epoch_start", epoch=epoch, epochs=epochs, batches=batches)
        started = time.perf_counter()
        last_report = started
        if shuffle:
            generator = torch.Generator().manual_seed(
                (seed if seed is not None else 0) * 1000003 + epoch
            )
            order = torch.randperm(count, generator=generator)
        else:
            order = torch.arange(count)
        totals = torch.zeros(objective.width, dtype=torch.float64, device=device)
        seen = 0
        for b in range(batches):
            batch = order[b * batch_size : (b + 1) * batch_size]
            size = batch.shape[0]
            mine = batch[rank::world]
            share = 1.0
            if mine.shape[0] == 0:
                # A last batch smaller than the number of processes: this one computes a sample and adds nothing.
                mine, share = batch[:1], 0.0
            if schedule is not None:
                # Keras's step: the batches trained before this one, counted from the first epoch.
                set_learning_rate(
                    optimizer, learning_rate_at(schedule, (epoch - 1) * batches + b)
                )
            xb = [x[mine] for x in xs]
            yb = [y[mine] for y in ys]
            wb = None if sample_weights is None else sample_weights[mine]
            if to_device:
                xb = [x.to(device, non_blocking=True) for x in xb]
                yb = [y.to(device, non_blocking=True) for y in yb]
                wb = None if wb is None else wb.to(device)
            # The gradients are cleared without zero_grad's per-call bookkeeping. On the CPU they are
            # zeroed in place: dropping them makes glibc's malloc give the memory back to the system
            # and fault it in again every few batches (several thousand page faults per MLP epoch).
            for p in parameters:
                if p.grad is None:
                    continue
                if to_device:
                    p.grad = None
                else:
                    p.grad.zero_()
            ps = as_outputs(model(*xb))
            losses = objective.losses(yb, ps, wb)
            total = objective.batch_sum(losses)
            # DistributedDataParallel averages gradients over processes; scaling by world / size makes that the batch mean,
            # and by world the sum of the processes' activity penalties.
            loss = total * (share * world / size)
            if regularized:
                penalty = regularization_loss(module, regularized)
                loss = loss + penalty
            if penalized:
                # This process's part of the batch's activity penalty (a sum over its samples, like the losses).
                activity = activity_loss(module, penalized)
                loss = loss + activity * (share * world)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                sums = objective.sums(yb, ps, losses, total)
                # Keras reports the loss it minimises: the weight penalty counts once per sample,
                # the batch's activity penalty once per sample of the batch.
                if regularized:
                    sums[0] += float(penalty) * mine.shape[0]
                if penalized:
                    sums[0] += float(activity) * size
                totals += sums if share == 1.0 else share * sums
            seen += size
            if interrupt is not None and interrupt.asked:
                raise KeyboardInterrupt
            now = time.perf_counter()
            if b == batches - 1 or now - last_report >= 0.25:
                last_report = now
                running = totals.tolist()
                if not math.isfinite(running[0]):
                    raise NonFiniteLoss(epoch, b + 1, running[0])
                if world == 1 or reporter.mode != "jsonl":
                    scores = objective.scores(running, seen)
                else:
                    # Rank 0's share of the samples seen so far: its running means, the other ranks' are alike.
                    scores = objective.scores(running, max(1, -(-seen // world)))
                reporter.event(
                    "batch",
                    epoch=epoch,
                    epochs=epochs,
                    batch=b + 1,
                    batches=batches,
                    scores=scores,
                    samplesPerSec=seen / max(now - started, 1e-9),
                )
        if world > 1:
            torch.distributed.all_reduce(totals)
        seconds = time.perf_counter() - started
        record = objective.scores(totals.tolist(), count)
        record["samplesPerSec"] = count / max(seconds, 1e-9)
        if validation is not None:
            for k, v in evaluate(
                module, objective, validation, batch_size, device
            ).items():
                record["val_" + k] = v
        if schedule is not None or plateau is not None:
            # Keras's optimizer.learning_rate after the epoch: a schedule's rate at the next step.
            record["learning_rate"] = (
                learning_rate_at(schedule, epoch * batches)
                if schedule is not None
                else learning_rate_of(optimizer)
            )
        record = agree(record, world)
        if plateau is not None:
            set_learning_rate(
                optimizer,
                plateau.on_epoch_end(epoch - 1, record, learning_rate_of(optimizer)),
            )
        keep, stop = (
            (False, False) if early is None else early.on_epoch_end(epoch - 1, record)
        )
        if keep:
            best_weights = {
                k: v.detach().clone() for k, v in module.state_dict().items()
            }
        history.append(record)
        reporter.event(
            "epoch_end", epoch=epoch, epochs=epochs, record=record, seconds=seconds
        )
        on_epoch_end(epoch, record)
        if interrupt is not None:
            interrupt.check()
        if stop:
            stopped = epoch
            reporter.event("stopped", epoch=epoch)
            break
    if interrupt is not None:
        interrupt.deferred = False
    restored = None
    if early is not None and early.restores and best_weights is not None:
        module.load_state_dict(best_weights)
        restored = early.best_epoch + 1
        reporter.event("restored", epoch=restored, monitor=early.monitor)
    return history, stopped, restored


def replica_difference(module, world):
    """The largest difference between any process's weights and rank 0's (0 when DDP kept them in step)."""
    flat = torch.cat(
        [p.detach().reshape(-1) for p in module.parameters()]
        + [b.reshape(-1).float() for b in module.buffers()]
    )
    reference = flat.clone()
    torch.distributed.broadcast(reference, 0)
    difference = (flat - reference).abs().max()
    torch.distributed.all_reduce(difference, op=torch.distributed.ReduceOp.MAX)
    return difference.item()


def write_keras_weights(module, path):
    """Keras-ordered weights as raw float32 plus a JSON list of names and shapes (what mlc saves with)."""
    layers, offset = [], 0
    tmp = path + ".tmp"
    with open(tmp + ".bin", "wb") as f:
        for name, arrays in keras_weights(module):
            shapes = []
            for a in arrays:
                f.write(a.astype(np.float32).tobytes())
                shapes.append(list(a.shape))
            layers.append({"layer": name, "shapes": shapes})
    with open(tmp + ".json", "w") as f:
        json.dump(layers, f)
    os.replace(tmp + ".bin", path + ".bin")
    os.replace(tmp + ".json", path + ".json")


def write_optimizer_state(optimizer, path):
    """
    The optimizer's per-parameter state (moments, step counts): its tensors,
    and its other values (numbers, None) as JSON, so that it loads with
    torch.load(weights_only=True), which runs no code from the file; written
    under a temporary name and then renamed.
    """
    state = optimizer.state_dict()["state"]
    tmp = path + ".tmp"
    torch.save(
        {
            "tensors": {
                str(i): {k: v for k, v in values.items() if torch.is_tensor(v)}
                for i, values in state.items()
            },
            "values": json.dumps(
                {
                    str(i): {k: v for k, v in values.items() if not torch.is_tensor(v)}
                    for i, values in state.items()
                }
            ),
        },
        tmp,
    )
    os.replace(tmp, path)


def load_optimizer_state(optimizer, path, device):
    """
    A saved run's moments and step counts. The settings (learning rate, betas,
    ...) stay this run's, as the spec and --lr give them.
    """
    parameters = [p for group in optimizer.param_groups for p in group["params"]]
    try:
        try:
            saved = torch.load(path, map_location=device, weights_only=True)
        except TypeError:
            # PyTorch before 1.13 has no weights_only.
            saved = torch.load(path, map_location=device)
        state = {int(i): values for i, values in json.loads(saved["values"]).items()}
        for i, tensors in saved["tensors"].items():
            p = parameters[int(i)]
            for k, v in tensors.items():
                if v.dim() > 0 and v.shape != p.shape:
                    raise ValueError(
                        f"{k} of parameter {i} is {list(v.shape)}, not {list(p.shape)}"
                    )
            state.setdefault(int(i), {}).update(tensors)
    except Exception as e:
        raise UserError(f"{path}: cannot read the optimizer's state ({e})")
    groups = optimizer.state_dict()["param_groups"]
    optimizer.load_state_dict({"state": state, "param_groups": groups})


class Interrupt:
    """
    Ctrl-C (SIGINT; mlc passes it on to every process). While training, it
    waits for the batch in progress, so that a save being written and a
    progress line being printed are finished; otherwise it stops at once.
    """

    def __init__(self):
        self.asked, self.deferred = False, False
        signal.signal(signal.SIGINT, self.ask)

    def ask(self, signum, frame):
        self.asked = True
        if not self.deferred:
            raise KeyboardInterrupt

    def check(self):
        if self.asked:
            raise KeyboardInterrupt


def end_with_parent():
    """
    A process started by mlc ends when mlc does, even when mlc is killed
    outright (Linux's PR_SET_PDEATHSIG); otherwise a rank could wait for the
    others in a collective for as long as gloo's timeout.
    """
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        # Not Linux: no such call.
        return
    if os.getppid() == 1:
        # mlc had ended before the call.
        sys.exit(EXIT_INTERRUPTED)


def save_outputs(module, directory):
    """model.pt (PyTorch's state_dict) and keras-weights.bin/.json (Keras's order, for mlc)."""
    os.makedirs(directory, exist_ok=True)
    write_keras_weights(module, os.path.join(directory, "keras-weights"))
    torch.save(module.state_dict(), os.path.join(directory, "model.pt"))


def run(argv=None):
    parser = argparse.ArgumentParser(
        description=f"Train {MODEL_NAME} (generated by mlc)."
    )
    parser.add_argument(
        "--data",
        default=DEFAULT_DATA,
        help="training data: arrays:DIR (as mlc emit --data writes it)",
    )
    parser.add_argument("--epochs", type=int, default=FIT["epochs"])
    parser.add_argument("--batch", type=int, default=FIT["batch_size"])
    parser.add_argument("--limit", type=int, help="train on the first N samples only")
    parser.add_argument("--seed", type=int, default=FIT["seed"])
    parser.add_argument(
        "--validation-split", type=float, default=FIT["validation_split"]
    )
    parser.add_argument(
        "-o",
        "--output",
        help="write model.pt and Keras-ordered weights (keras-weights.bin/.json) here",
    )
    parser.add_argument(
        "--load",
        help="start from an mlc train -o save (--epochs 0: write it as -o OUT/model.pt)",
    )
    parser.add_argument(
        "--initial-epoch",
        type=int,
        default=0,
        help="epochs the --load save has done: training goes on from the next one",
    )
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--progress", choices=["lines", "jsonl"], default="lines")
    args = parser.parse_args(argv)
    interrupt = Interrupt()
    if args.progress == "jsonl":
        end_with_parent()
    if args.epochs == 0:
        # No training: the weights of an mlc save as PyTorch's model.pt.
        if not (args.load and args.output):
            raise UserError("--epochs 0 converts a save: give --load DIR and -o OUT")
        module = build_model()
        load_keras_weights(module, read_mlc_save(args.load))
        save_outputs(module, args.output)
        print(f"saved: {os.path.join(args.output, 'model.pt')}")
        return
    if args.data is None:
        raise UserError("no --data given; pass --data arrays:DIR")
    if args.initial_epoch >= args.epochs:
        raise UserError(
            f"--initial-epoch {args.initial_epoch}: ask for more --epochs than that"
        )
    if args.data == DEFAULT_DATA and args.data.startswith("arrays:"):
        # The arrays that mlc emit --data wrote beside this program.
        here = os.path.dirname(os.path.abspath(__file__))
        args.data = "arrays:" + os.path.join(here, args.data[len("arrays:") :])

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", str(rank)))
    if args.device == "cuda" and not torch.cuda.is_available():
        raise UserError(
            "--device cuda: PyTorch sees no CUDA device here; use --device cpu"
        )
    device = (
        torch.device("cuda", local_rank % torch.cuda.device_count())
        if args.device == "cuda"
        else torch.device("cpu")
    )
    if args.device == "cpu" and "OMP_NUM_THREADS" not in os.environ:
        # Every core this process may use, shared between the processes (torch may start with fewer).
        cores = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count()
        )
        torch.set_num_threads(max(1, (cores or 1) // world))
    if world > 1:
        torch.distributed.init_process_group(
            "nccl" if args.device == "cuda" else "gloo"
        )
    reporter = Reporter(args.progress, rank)

    splits, data_weights = read_arrays(args.data)
    labelled = splits["train"]
    if args.limit is not None:
        labelled = rows(labelled, 0, args.limit)
    if "validation" in splits:
        train, validation = labelled, splits["validation"]
        labelled = tuple(
            [torch.cat(pair) for pair in zip(a, b)] for a, b in zip(train, validation)
        )
    else:
        train, validation = hold_out(labelled, args.validation_split)
    # balanced counts the classes over all the labelled data, before validation_split holds some out.
    sample_weights = None
    if CLASS_WEIGHT is not None:
        sample_weights = class_sample_weights(
            CLASS_WEIGHT, labelled[1][0], train[0][0].shape[0]
        )
    # The data's own weights (the training split's first rows) multiply the class weights, as in Keras.
    if data_weights is not None:
        data_weights = data_weights[: train[0][0].shape[0]]
        sample_weights = (
            data_weights if sample_weights is None else sample_weights * data_weights
        )

    if args.seed is not None:
        torch.manual_seed(args.seed)
    module = build_model().to(device)
    if args.load:
        load_keras_weights(module, read_mlc_save(args.load))
    else:
        adapt_normalization(module, [x.to(device) for x in train[0]])
    model = module
    if world > 1:
        model = torch.nn.parallel.DistributedDataParallel(
            module, device_ids=[device.index] if args.device == "cuda" else None
        )
    objective = Objective(OUTPUTS)
    optimizer = make_optimizer(model.parameters())
    if args.load and os.path.exists(os.path.join(args.load, OPTIMIZER_STATE)):
        # A save of this engine's: its moments and step counts go on.
        load_optimizer_state(
            optimizer, os.path.join(args.load, OPTIMIZER_STATE), device
        )
    callbacks = make_callbacks(CALLBACKS)
    checkpoint = callbacks.get("model_checkpoint")
    for name, callback in callbacks.items():
        watches_validation = callback.monitor.startswith("val_")
        if watches_validation and validation is None and args.progress == "lines":
            print(
                f"note: {name} watches {callback.monitor}, but no validation data is "
                "held out, so it does nothing (pass --validation-split)",
                file=sys.stderr,
            )
    saves = []

    def save(epoch):
        if args.progress == "jsonl":
            # Each save under its own name: mlc reads it while training goes on.
            path = os.path.join(args.output, f"keras-weights-{len(saves)}")
            os.makedirs(args.output, exist_ok=True)
            write_keras_weights(module, path)
            write_optimizer_state(optimizer, path + ".optimizer.pt")
        else:
            save_outputs(module, args.output)
            write_optimizer_state(optimizer, os.path.join(args.output, OPTIMIZER_STATE))
            path = os.path.join(args.output, "keras-weights")
        saves.append(epoch)
        reporter.event("saved", epoch=epoch, path=path)

    def on_epoch_end(epoch, record):
        # model_checkpoint decides which epochs the folder keeps; without it, every one.
        if checkpoint is not None and not checkpoint.on_epoch_end(epoch - 1, record):
            return
        if rank == 0 and args.output:
            save(epoch)

    model.train()
    try:
        _, _, restored = fit(
            model,
            module,
            objective,
            optimizer,
            train,
            validation,
            args.epochs,
            args.batch,
            FIT["shuffle"],
            args.seed,
            device,
            reporter,
            on_epoch_end,
            world,
            rank,
            initial_epoch=args.initial_epoch,
            sample_weights=sample_weights,
            schedule=SCHEDULE,
            callbacks=callbacks,
            interrupt=interrupt,
        )
    except NonFiniteLoss as e:
        epoch, batch, loss = e.args
        reporter.event("nonfinite", epoch=epoch, batch=batch, loss=str(loss))
        if args.progress != "jsonl":
            print(
                f"error: the loss became {loss} at epoch {epoch}, batch {batch}; training stopped",
                file=sys.stderr,
            )
        sys.exit(EXIT_NONFINITE)
    # Unless model_checkpoint chose what the folder keeps, it holds the restored weights.
    restore_save = (
        checkpoint is None and restored is not None and saves[-1:] != [restored]
    )
    if rank == 0 and args.output and restore_save:
        save(restored)
    if world > 1:
        reporter.event("replicas", maxDifference=replica_difference(module, world))
        # All ranks leave the group together, before rank 0's test pass: rank 0 hosts the
        # group's store, and a rank tearing down while rank 0 is busy can wait on it forever.
        torch.distributed.destroy_process_group()
    if rank == 0 and "test" in splits:
        scores = evaluate(module, objective, splits["test"], args.batch, device)
        reporter.event("test", scores=scores, count=int(splits["test"][0][0].shape[0]))
`;
