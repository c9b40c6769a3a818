# The Mllama vision tower (transformers' modeling_mllama.py: MllamaVisionModel) as TorchScript source.
# VisionEncoderScript.java wraps it in an archive that libtorch compiles on load, so one image's encoding (patch
# embedding, gated tile and position embeddings, the local and the gated global encoder, and the concatenation with
# the intermediate states) is one call from Java.
#
# weights: at the indices named below (set by Java), patch_embedding [D, 3·p·p] (the conv weight as a linear map over flattened
#   patches), class_embedding [D], position_embedding [P, D] × (1 − tanh(gate)), tile_position_embedding
#   [ratios, T·P·D] × tanh(gate), pre_tile_embedding [ratios, T·D] × tanh(gate), post_tile_embedding [ratios, T·D] ×
#   tanh(gate), layernorm_pre weight and bias, layernorm_post weight and bias.
# layers: per encoder layer (local layers first, then global ones) its list of tensors at the indices named below
#   (LAYER_*): one per entry of engine/checkpoint/LayerWeights.java, which describes each (checkpoint tensors, shapes,
#   what is fused and folded in). Java sets every index from the entry's position, and LayerWeightsScriptTest checks
#   that the names here are the entries there.
# pixels: [T, 3, H, W] in the compute dtype; T = max_num_tiles, tiles from num_tiles on are zero padding.
class VisionEncoder(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  hidden_size : int
  num_heads : int
  head_dim : int
  norm_eps : float
  mask_value : float
  patch_size : int
  num_patches : int
  padded_patches : int
  keep_input : List[bool]
  global_attn_gates : List[float]
  global_ffn_gates : List[float]
  PATCH_EMBEDDING : int
  CLASS_EMBEDDING : int
  POSITION_EMBEDDING : int
  TILE_POSITION_EMBEDDING : int
  PRE_TILE_EMBEDDING : int
  POST_TILE_EMBEDDING : int
  LAYERNORM_PRE_WEIGHT : int
  LAYERNORM_PRE_BIAS : int
  LAYERNORM_POST_WEIGHT : int
  LAYERNORM_POST_BIAS : int
  LAYER_INPUT_LAYERNORM_WEIGHT : int
  LAYER_INPUT_LAYERNORM_BIAS : int
  LAYER_QKV_PROJ : int
  LAYER_O_PROJ : int
  LAYER_POST_ATTENTION_LAYERNORM_WEIGHT : int
  LAYER_POST_ATTENTION_LAYERNORM_BIAS : int
  LAYER_FC1_WEIGHT : int
  LAYER_FC1_BIAS : int
  LAYER_FC2_WEIGHT : int
  LAYER_FC2_BIAS : int

  # MllamaVisionModel.forward for one image → [T, P, D·(1 + intermediate layers)]; keep_input: per local layer,
  # whether it is listed in intermediate_layers_indices
  def forward(self: __torch__.VisionEncoder, pixels: Tensor, aspect_ratio_id: int, num_tiles: int, weights: List[Tensor], layers: List[List[Tensor]]) -> Tensor:
    tiles = pixels.size(0)
    channels = pixels.size(1)
    d = self.hidden_size
    p = self.patch_size
    side = pixels.size(2) // p
    patches = self.num_patches
    padded = self.padded_patches
    # patch embedding (a conv with stride = kernel = p, no bias): [T, 3, H, W] → [T, side², 3·p·p] → [T, side², D]
    x = pixels.reshape(tiles, channels, side, p, side, p).permute(0, 2, 4, 1, 3, 5).reshape(tiles, side * side, channels * p * p)
    hidden = torch.matmul(x, weights[self.PATCH_EMBEDDING].t())
    # pre-tile embedding, class token, gated position embeddings, pre-norm
    hidden = hidden + weights[self.PRE_TILE_EMBEDDING][aspect_ratio_id].view(tiles, 1, d)
    hidden = torch.cat([weights[self.CLASS_EMBEDDING].view(1, 1, d).expand(tiles, 1, d), hidden], 1)
    hidden = hidden + weights[self.POSITION_EMBEDDING] + weights[self.TILE_POSITION_EMBEDDING][aspect_ratio_id].view(tiles, patches, d)
    hidden = torch.layer_norm(hidden, [d], weights[self.LAYERNORM_PRE_WEIGHT], weights[self.LAYERNORM_PRE_BIAS], self.norm_eps)
    # pad every tile to a multiple of 8 patches, then attend across all tiles of the image
    hidden = torch.cat([hidden, torch.zeros([tiles, padded - patches, d], dtype=hidden.dtype, device=hidden.device)], 1)
    hidden = hidden.reshape(1, tiles * padded, d)
    masked = self.masked_positions(tiles, num_tiles, hidden)
    # local encoder, keeping the INPUTS of the listed layers (Meta's semantics, which LLaVA-o1 was trained with)
    intermediates: List[Tensor] = []
    local_layers = len(self.keep_input)
    for i in range(local_layers):
      if self.keep_input[i]:
        intermediates.append(hidden)
      hidden = self.layer(hidden, layers[i], masked, 1.0, 1.0)
    # post-norm, post-tile embedding, gated global encoder
    hidden = torch.layer_norm(hidden, [d], weights[self.LAYERNORM_POST_WEIGHT], weights[self.LAYERNORM_POST_BIAS], self.norm_eps).view(tiles, padded, d)
    hidden = (hidden + weights[self.POST_TILE_EMBEDDING][aspect_ratio_id].view(tiles, 1, d)).view(1, tiles * padded, d)
    for g in range(len(self.global_attn_gates)):
      hidden = self.layer(hidden, layers[local_layers + g], masked, self.global_attn_gates[g], self.global_ffn_gates[g])
    # drop the padding patches and append the intermediate states, feature-major as torch.stack(dim=-1) lays them out
    hidden = hidden.view(tiles, padded, d).narrow(1, 0, patches)
    if len(intermediates) == 0:
      return hidden
    stacked = torch.stack(intermediates, -1).view(tiles, padded, d * len(intermediates)).narrow(1, 0, patches)
    return torch.cat([hidden, stacked], -1)

  # The positions of the vision sequence whose tile is padding or that are padding patches ([M] int64), and the
  # additive key mask [1, L] that is the mask value there: transformers' prepare_aspect_ratio_attention_mask masks a
  # pair only when query AND key are such positions, so the other queries attend everything.
  def masked_positions(self: __torch__.VisionEncoder, tiles: int, num_tiles: int, like: Tensor) -> List[Tensor]:
    positions = torch.arange(tiles * self.padded_patches, device=like.device)
    invalid = torch.logical_or(torch.div(positions, self.padded_patches, rounding_mode="floor") >= num_tiles,
                               torch.remainder(positions, self.padded_patches) >= self.num_patches)
    key_mask = torch.where(invalid, self.mask_value, 0.0).to(like.dtype).view(1, -1)
    return [torch.nonzero(invalid).view(-1), torch.nonzero(torch.logical_not(invalid)).view(-1), key_mask]

  # MllamaVisionEncoderLayer: pre-norm attention and MLP blocks; in the global encoder each block's output is scaled
  # by tanh(gate_attn) / tanh(gate_ffn) before the residual add (1.0 in the local encoder)
  def layer(self: __torch__.VisionEncoder, hidden: Tensor, layer: List[Tensor], masked: List[Tensor], attn_gate: float, ffn_gate: float) -> Tensor:
    d = self.hidden_size
    x = torch.layer_norm(hidden, [d], layer[self.LAYER_INPUT_LAYERNORM_WEIGHT], layer[self.LAYER_INPUT_LAYERNORM_BIAS], self.norm_eps)
    attended = self.attention(x, layer[self.LAYER_QKV_PROJ], layer[self.LAYER_O_PROJ], masked)
    hidden = torch.add(hidden, attended, alpha=attn_gate)
    x = torch.layer_norm(hidden, [d], layer[self.LAYER_POST_ATTENTION_LAYERNORM_WEIGHT], layer[self.LAYER_POST_ATTENTION_LAYERNORM_BIAS], self.norm_eps)
    x = torch.gelu(torch.linear(x, layer[self.LAYER_FC1_WEIGHT], layer[self.LAYER_FC1_BIAS]))
    ffn = torch.linear(x, layer[self.LAYER_FC2_WEIGHT], layer[self.LAYER_FC2_BIAS])
    return torch.add(hidden, ffn, alpha=ffn_gate)

  # MllamaVisionAttention over one image's sequence: x [1, L, D] → [1, L, D]. Unmasked queries attend without a
  # mask; masked ones (padding) with the key mask, so no [L, L] mask is ever built.
  def attention(self: __torch__.VisionEncoder, x: Tensor, qkv_proj: Tensor, o_proj: Tensor, masked: List[Tensor]) -> Tensor:
    length = x.size(1)
    heads = self.num_heads
    hd = self.head_dim
    qkv = torch.linear(x, qkv_proj).view(length, 3, heads, hd).permute(1, 2, 0, 3)
    q = qkv[0].unsqueeze(0)
    k = qkv[1].unsqueeze(0)
    v = qkv[2].unsqueeze(0)
    out = torch.empty_like(q)
    invalid = masked[0]
    valid = masked[1]
    if valid.size(0) > 0:
      out.index_copy_(2, valid, torch.scaled_dot_product_attention(q.index_select(2, valid), k, v, None, 0.0, False, scale=1.0))
    if invalid.size(0) > 0:
      out.index_copy_(2, invalid, torch.scaled_dot_product_attention(q.index_select(2, invalid), k, v, masked[2], 0.0, False, scale=1.0))
    return torch.linear(out.permute(0, 2, 1, 3).reshape(1, length, heads * hd), o_proj)
