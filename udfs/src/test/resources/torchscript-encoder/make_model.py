"""Writes tiny-encoder.pt, the TorchScript test model of TorchScriptEncoderTest.

A BERT-shaped encoder small enough to check in (about 100 KB): forward(input_ids,
attention_mask, token_type_ids), all int64 [batch, tokens], returns (last hidden state
[batch, tokens, 16], first token's state [batch, 16]) like a traced Hugging Face BertModel.
Its weights are not trained but pinned by formulas (no random generator, so the Java test
recomputes the same model from the same formulas):

  word[i][d]  = sin(0.0131 (i + 1)(d + 1)) + 0.1 cos(0.7 i + d)      i < 1000 (ids taken mod 1000)
  pos[p][d]   = 0.05 cos(0.021 (p + 1)(d + 1))                        p < 512
  type[t][d]  = 0.1 (t + 1) sin(d + 1)                                t < 2
  x = word[ids mod 1000] + pos[position] + type[token_type]
  c = mean of x over the tokens whose attention_mask is 1 (per text)
  hidden = tanh(x + c)

The mean over the mask stands in for attention: a token's state depends on the other tokens of
its text and on nothing beyond the mask, so a padded batch gives each text the states it gets
alone only when the mask reaches the model as its second input.

Run with any PyTorch that can write TorchScript (written with torch 2.13.0+cpu, loaded by the
libtorch 2.7.1 of DJL's PyTorch engine):  python3 make_model.py
"""
import math
import os

import torch

VOCAB, DIM, POSITIONS = 1000, 16, 512


def table(rows, value):
    return torch.tensor([[value(i, d) for d in range(DIM)] for i in range(rows)],
                        dtype=torch.float64).to(torch.float32)


class TinyEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.word = torch.nn.Parameter(table(VOCAB, lambda i, d: math.sin(0.0131 * (i + 1) * (d + 1))
                                             + 0.1 * math.cos(0.7 * i + d)), requires_grad=False)
        self.pos = torch.nn.Parameter(table(POSITIONS, lambda p, d: 0.05 * math.cos(0.021 * (p + 1) * (d + 1))),
                                      requires_grad=False)
        self.token_type = torch.nn.Parameter(table(2, lambda t, d: 0.1 * (t + 1) * math.sin(d + 1)),
                                       requires_grad=False)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.word[torch.remainder(input_ids, self.word.shape[0])] + self.pos[positions].unsqueeze(0) \
            + self.token_type[token_type_ids]
        m = attention_mask.to(torch.float32).unsqueeze(-1)
        c = (x * m).sum(dim=1, keepdim=True) / m.sum(dim=1, keepdim=True).clamp(min=1.0)
        hidden = torch.tanh(x + c)
        return hidden, hidden[:, 0]


if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-encoder.pt")
    torch.jit.save(torch.jit.script(TinyEncoder().eval()), out)
    print("wrote", out, os.path.getsize(out), "bytes with torch", torch.__version__)
