# The Mllama text decoder (transformers' modeling_mllama.py: MllamaForCausalLM with MllamaTextModel) as TorchScript
# source. TextDecoderScript.java wraps it in an archive that libtorch compiles on load, so a whole forward pass (all
# layers, final norm, LM head, and while decoding the argmax or the sampled token) is one call from Java.
#
# A weight is one entry, a List[Tensor] (engine/model/Weight.java): [tensor] in the compute dtype, or a linear map
#   quantized with the quantization setting, [values int8 [N, K], scales float32 [N]] (see linear).
# weights: the model's own weights at the indices named below (EMBED_TOKENS ... INV_FREQ, float32 RoPE frequencies).
# layers: per decoder layer its list of weights at the indices named below, SELF_* for a self-attention layer and
#   CROSS_* for a cross-attention layer: one per entry of engine/checkpoint/LayerWeights.java, which describes each
#   (checkpoint tensors, shapes, what is fused and folded in, what may be quantized). Java sets every index from the
#   entry's position, and LayerWeightsScriptTest checks that the names here are the entries there.
# keys, values: per self-attention layer the cache [B, KV, capacity, hd], written in place at start..start+T-1.
# image: empty for a text-only pass (cross-attention layers are skipped, as transformers does without
#   cross_attention_states), else [mask [1, B|1, 1, T, S] additive, row_mask [B|1, T, 1],
#   then per cross-attention layer k [1, KV, S, hd] (k_norm applied), v [1, KV, S, hd]].
class TextDecoder(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  hidden_size : int
  num_heads : int
  num_kv_heads : int
  head_dim : int
  rms_norm_eps : float
  mask_value : float
  bfloat16 : int
  layer_is_cross : List[bool]
  cross_attn_attn_gates : List[float]
  cross_attn_mlp_gates : List[float]
  EMBED_TOKENS : int
  NORM : int
  LM_HEAD : int
  INV_FREQ : int
  SELF_INPUT_LAYERNORM : int
  SELF_QKV_PROJ : int
  SELF_O_PROJ : int
  SELF_POST_ATTENTION_LAYERNORM : int
  SELF_GATE_UP_PROJ : int
  SELF_DOWN_PROJ : int
  CROSS_INPUT_LAYERNORM : int
  CROSS_Q_PROJ : int
  CROSS_K_PROJ : int
  CROSS_V_PROJ : int
  CROSS_O_PROJ : int
  CROSS_Q_NORM : int
  CROSS_K_NORM : int
  CROSS_POST_ATTENTION_LAYERNORM : int
  CROSS_GATE_UP_PROJ : int
  CROSS_DOWN_PROJ : int

  def last_logits(self: __torch__.TextDecoder, ids: Tensor, start: int, weights: List[List[Tensor]], layers: List[List[List[Tensor]]], keys: List[Tensor], values: List[Tensor], image: List[Tensor]) -> Tensor:
    hidden = self.decoder(ids, start, weights, layers, keys, values, image)
    return self.lm_head(hidden.narrow(1, hidden.size(1) - 1, 1), weights).float()

  def all_logits(self: __torch__.TextDecoder, ids: Tensor, start: int, weights: List[List[Tensor]], layers: List[List[List[Tensor]]], keys: List[Tensor], values: List[Tensor], image: List[Tensor]) -> Tensor:
    return self.lm_head(self.decoder(ids, start, weights, layers, keys, values, image), weights).float()

  def greedy(self: __torch__.TextDecoder, ids: Tensor, start: int, weights: List[List[Tensor]], layers: List[List[List[Tensor]]], keys: List[Tensor], values: List[Tensor], image: List[Tensor]) -> Tensor:
    # the last position's argmax, [B]: only token ids leave the device
    hidden = self.decoder(ids, start, weights, layers, keys, values, image)
    return torch.argmax(self.lm_head(hidden.narrow(1, hidden.size(1) - 1, 1), weights), -1).view(-1)

  def sample(self: __torch__.TextDecoder, ids: Tensor, start: int, weights: List[List[Tensor]], layers: List[List[List[Tensor]]], keys: List[Tensor], values: List[Tensor], image: List[Tensor], sampling: List[float]) -> Tensor:
    # the last position's token drawn per row, [B]: only token ids leave the device
    hidden = self.decoder(ids, start, weights, layers, keys, values, image)
    logits = self.lm_head(hidden.narrow(1, hidden.size(1) - 1, 1), weights).float()
    return self.draw(logits.view(logits.size(0), -1), sampling)

  # The engine's one sampler (tested against its Java port, the tests' ReferenceSampler): transformers' warpers in
  # order (temperature → top-k → top-p), then inverse-CDF sampling with a uniform per row drawn in Java from the row's
  # seeded stream. logits [B, vocab] float32 → [B] ids. sampling: [1/temperature, negligible span (weight 0 that far below the row's maximum), top_p,
  # top_k (0 = off), then B uniforms in [0, 1)]
  def draw(self: __torch__.TextDecoder, logits: Tensor, sampling: List[float]) -> Tensor:
    top_p = sampling[2]
    top_k = int(sampling[3])
    # temperature in float32 as in Java, softmax weights relative to the maximum in float64
    top = torch.amax(logits, -1, True)
    weights = torch.where(logits > top - sampling[1], torch.exp(((logits - top) * sampling[0]).double()), 0.0)
    uniforms = torch.tensor(sampling[4:], dtype=weights.dtype, device=weights.device).unsqueeze(1)
    # candidates in descending weight, ties by lower index; top-k renormalises before top-p
    ranked, order = torch.sort(weights, stable=True, dim=-1, descending=True)
    if top_k > 0 and top_k < ranked.size(-1):
      ranked = ranked.narrow(-1, 0, top_k)
      order = order.narrow(-1, 0, top_k)
    cumulative = torch.cumsum(ranked, -1)
    total = cumulative.narrow(-1, cumulative.size(-1) - 1, 1)
    # nucleus: the smallest head whose mass reaches top_p (at least one token)
    keep = torch.clamp((cumulative / total < top_p).sum(-1, keepdim=True) + 1, max=cumulative.size(-1))
    kept = cumulative.gather(-1, keep - 1)
    # inverse CDF over the kept tokens: the first whose cumulative weight exceeds uniform × kept
    chosen = torch.minimum((cumulative <= uniforms * kept).sum(-1, keepdim=True), keep - 1)
    return order.gather(-1, chosen).view(-1)

  # MllamaTextModel.forward: ids [B, T] → hidden [B, T, D]
  def decoder(self: __torch__.TextDecoder, ids: Tensor, start: int, weights: List[List[Tensor]], layers: List[List[List[Tensor]]], keys: List[Tensor], values: List[Tensor], image: List[Tensor]) -> Tensor:
    b = ids.size(0)
    t = ids.size(1)
    # few rows on the CPU: linear maps as W·xT (see linear)
    wxt = (not ids.is_cuda) and b * t > 1 and b * t <= 32
    # token embedding
    hidden = torch.embedding(weights[self.EMBED_TOKENS][0], ids)
    # this pass's positions, RoPE angles and causal mask, shared by every layer
    positions = torch.arange(start, start + t, device=ids.device)
    angles = self.rotary(weights[self.INV_FREQ][0], positions, hidden)
    causal = self.causal_mask(start, t, hidden)
    has_image = len(image) > 0
    cross_mask = hidden
    row_mask = hidden
    if has_image:
      groups = self.num_heads // self.num_kv_heads
      s = image[0].size(-1)
      # [1, B|1, 1, T, S] → rows in the order of the cross-attention queries (batch, group, token)
      cross_mask = image[0].expand(1, b, groups, t, s).reshape(1, 1, b * groups * t, s)
      row_mask = image[1]
    self_index = 0
    cross_index = 0
    for i in range(len(self.layer_is_cross)):
      layer = layers[i]
      if self.layer_is_cross[i]:
        # MllamaCrossAttentionDecoderLayer; skipped when the pass attends no image
        if has_image:
          # rmsnorm → cross-attention → tanh(cross_attn_attn_gate) → residual
          attended = self.cross_attention(self.rms_norm(hidden, layer[self.CROSS_INPUT_LAYERNORM]), layer[self.CROSS_Q_PROJ], layer[self.CROSS_Q_NORM], layer[self.CROSS_O_PROJ], image[2 + 2 * cross_index], image[3 + 2 * cross_index], cross_mask, wxt)
          hidden = torch.add(hidden, attended, alpha=self.cross_attn_attn_gates[cross_index])
          # rmsnorm → MLP → zero rows that attend no image (full_text_row_masked_out_mask) → tanh(gate) → residual
          mlp = self.mlp(self.rms_norm(hidden, layer[self.CROSS_POST_ATTENTION_LAYERNORM]), layer[self.CROSS_GATE_UP_PROJ], layer[self.CROSS_DOWN_PROJ], wxt) * row_mask
          hidden = torch.add(hidden, mlp, alpha=self.cross_attn_mlp_gates[cross_index])
        cross_index = cross_index + 1
      else:
        # MllamaSelfAttentionDecoderLayer: rmsnorm → self-attention → residual; rmsnorm → SwiGLU → residual
        hidden = hidden + self.self_attention(self.rms_norm(hidden, layer[self.SELF_INPUT_LAYERNORM]), layer[self.SELF_QKV_PROJ], layer[self.SELF_O_PROJ], keys[self_index], values[self_index], positions, angles, causal, start + t, wxt)
        hidden = hidden + self.mlp(self.rms_norm(hidden, layer[self.SELF_POST_ATTENTION_LAYERNORM]), layer[self.SELF_GATE_UP_PROJ], layer[self.SELF_DOWN_PROJ], wxt)
        self_index = self_index + 1
    return hidden

  # The image side of every MllamaTextCrossAttention, once per request: projected image states [1, S, D] → per
  # cross-attention layer its keys (k_norm applied per head) and values, [1, KV, S, hd] each, contiguous (read on
  # every pass), in layer order: [k, v, k, v, ...]
  def image_keys_values(self: __torch__.TextDecoder, states: Tensor, layers: List[List[List[Tensor]]]) -> List[Tensor]:
    s = states.size(1)
    kv = self.num_kv_heads
    hd = self.head_dim
    out: List[Tensor] = []
    for i in range(len(self.layer_is_cross)):
      if self.layer_is_cross[i]:
        layer = layers[i]
        k = self.linear(states, layer[self.CROSS_K_PROJ], False).view(s, kv, hd).transpose(0, 1)
        k = torch.rms_norm(k, [hd], layer[self.CROSS_K_NORM][0], self.rms_norm_eps)
        v = self.linear(states, layer[self.CROSS_V_PROJ], False).view(s, kv, hd).transpose(0, 1)
        out.append(k.unsqueeze(0).contiguous())
        out.append(v.unsqueeze(0).contiguous())
    return out

  # final norm and LM head: [B, T, D] → [B, T, vocab]
  def lm_head(self: __torch__.TextDecoder, hidden: Tensor, weights: List[List[Tensor]]) -> Tensor:
    return self.linear(self.rms_norm(hidden, weights[self.NORM]), weights[self.LM_HEAD], (not hidden.is_cuda) and hidden.size(0) > 1 and hidden.size(0) <= 32)

  # MllamaTextRMSNorm: in float32, cast back, times the weight (torch.rms_norm's own order)
  def rms_norm(self: __torch__.TextDecoder, x: Tensor, weight: List[Tensor]) -> Tensor:
    return torch.rms_norm(x, [self.hidden_size], weight[0], self.rms_norm_eps)

  # x Wᵀ: x [B, T, K] → [B, T, N]
  def linear(self: __torch__.TextDecoder, x: Tensor, weight: List[Tensor], wxt: bool) -> Tensor:
    if len(weight) == 2:
      return self.int8_linear(x, weight[0], weight[1])
    # for 2-32 rows on the CPU libtorch's GEMM runs ~2x faster with the weight as the left operand (W·xᵀ)ᵀ
    if wxt:
      return torch.matmul(weight[0], x.reshape(-1, x.size(-1)).t()).t().reshape(x.size(0), x.size(1), -1)
    return torch.linear(x, weight[0])

  # x (values · scales)ᵀ for a weight quantized to int8 per output channel (engine/model/Int8Quantizer.java). The CPU
  # kernel's vector code is for bfloat16 activations (float32 runs scalar code, ~17x slower) and it reads the scales
  # in the activations' dtype (each is a bfloat16 value, so exactly): bfloat16 in, float32 out, around this product only
  def int8_linear(self: __torch__.TextDecoder, x: Tensor, values: Tensor, scales: Tensor) -> Tensor:
    rows = x.reshape(-1, x.size(-1)).to(self.bfloat16)
    out = torch._weight_int8pack_mm(rows, values, scales.to(self.bfloat16))
    return out.to(x.dtype).reshape(x.size(0), x.size(1), -1)

  # MllamaRotaryEmbedding in float32 → (cos, signed sin) [T, H + 2·KV, hd] in the compute dtype. The sin carries
  # rotate_half's sign ([-sin, sin]) so applying it is a roll by hd/2; v heads get cos 1, sin 0 and pass unchanged,
  # which lets one multiply-add rotate q and k inside the fused qkv projection.
  def rotary(self: __torch__.TextDecoder, inv_freq: Tensor, positions: Tensor, like: Tensor) -> List[Tensor]:
    t = positions.size(0)
    freqs = torch.outer(positions.float(), inv_freq)
    sin = freqs.sin()
    cos = torch.cat([freqs, freqs], -1).cos().unsqueeze(1).expand(t, self.num_heads + self.num_kv_heads, self.head_dim)
    signed_sin = torch.cat([-sin, sin], -1).unsqueeze(1).expand(t, self.num_heads + self.num_kv_heads, self.head_dim)
    ones = torch.ones([t, self.num_kv_heads, self.head_dim], dtype=freqs.dtype, device=freqs.device)
    zeros = torch.zeros([t, self.num_kv_heads, self.head_dim], dtype=freqs.dtype, device=freqs.device)
    return [torch.cat([cos, ones], 1).type_as(like), torch.cat([signed_sin, zeros], 1).type_as(like)]

  # additive [G·T, start+T] (a new token sees the cache and new tokens up to itself), rows in the queries' order
  # (group, token); None for a single new token
  def causal_mask(self: __torch__.TextDecoder, start: int, t: int, like: Tensor) -> Optional[Tensor]:
    if t == 1:
      return None
    mask = torch.full([t, start + t], self.mask_value, dtype=like.dtype, device=like.device).triu(start + 1)
    return mask.repeat(self.num_heads // self.num_kv_heads, 1)

  # MllamaTextSelfAttention: x [B, T, D] → [B, T, D]; appends this pass's keys and values to the cache
  def self_attention(self: __torch__.TextDecoder, x: Tensor, qkv_proj: List[Tensor], o_proj: List[Tensor], cache_k: Tensor, cache_v: Tensor, positions: Tensor, angles: List[Tensor], causal: Optional[Tensor], total: int, wxt: bool) -> Tensor:
    b = x.size(0)
    t = x.size(1)
    heads = self.num_heads
    kv = self.num_kv_heads
    hd = self.head_dim
    # fused q|k|v projection → [B, T, H + 2·KV, hd]; RoPE on the q and k heads
    qkv = self.linear(x, qkv_proj, wxt).view(b, t, heads + 2 * kv, hd)
    qkv = torch.addcmul(qkv * angles[0], torch.roll(qkv, hd // 2, -1), angles[1])
    parts = torch.split(qkv, [heads, kv, kv], 2)
    # cache write in place, then attend over everything cached so far ([B, KV, total, hd])
    cache_k.index_copy_(2, positions, parts[1].transpose(1, 2))
    cache_v.index_copy_(2, positions, parts[2].transpose(1, 2))
    keys = cache_k.narrow(2, 0, total)
    values = cache_v.narrow(2, 0, total)
    # grouped-query attention without repeating K or V: each kv head's queries (groups × tokens) as rows
    groups = heads // kv
    if t == 1:
      q = parts[0].reshape(b, kv, groups, hd)
    else:
      q = parts[0].transpose(1, 2).reshape(b, kv, groups * t, hd)
    out = torch.scaled_dot_product_attention(q, keys, values, causal, 0.0, False, scale=1.0)
    if t == 1:
      out = out.reshape(b, 1, heads * hd)
    else:
      out = out.reshape(b, heads, t, hd).transpose(1, 2).reshape(b, t, heads * hd)
    return self.linear(out, o_proj, wxt)

  # MllamaTextCrossAttention: text queries (per-head q_norm) attend the image's precomputed keys and values;
  # x [B, T, D] → [B, T, D]. Each kv head's queries (batch, group, token) are the rows of one matrix, so the image
  # K/V ([1, KV, S, hd]) are shared by every sequence without being repeated.
  def cross_attention(self: __torch__.TextDecoder, x: Tensor, q_proj: List[Tensor], q_norm: List[Tensor], o_proj: List[Tensor], k: Tensor, v: Tensor, mask: Tensor, wxt: bool) -> Tensor:
    b = x.size(0)
    t = x.size(1)
    kv = self.num_kv_heads
    hd = self.head_dim
    groups = self.num_heads // kv
    q = self.linear(x, q_proj, wxt).view(b, t, kv, groups, hd)
    q = torch.rms_norm(q, [hd], q_norm[0], self.rms_norm_eps)
    q = q.permute(2, 0, 3, 1, 4).reshape(1, kv, b * groups * t, hd)
    out = torch.scaled_dot_product_attention(q, k, v, mask, 0.0, False, scale=1.0)
    out = out.reshape(kv, b, groups, t, hd).permute(1, 3, 0, 2, 4).reshape(b, t, self.num_heads * hd)
    return self.linear(out, o_proj, wxt)

  # MllamaTextMLP (SwiGLU): down(silu(gate(x)) * up(x)), gate and up fused into one projection
  def mlp(self: __torch__.TextDecoder, x: Tensor, gate_up_proj: List[Tensor], down_proj: List[Tensor], wxt: bool) -> Tensor:
    gate_up = torch.chunk(self.linear(x, gate_up_proj, wxt), 2, -1)
    return self.linear(torch.silu(gate_up[0]) * gate_up[1], down_proj, wxt)
