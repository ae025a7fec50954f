-- Read-only scratch buffers the plugin shows (a session's timeline, the architecture graph):
-- one per name, reused, in a split; no language server attaches (buftype=nofile).
local M = {}

--- Show lines in the scratch buffer called name, with a filetype for highlighting.
---@param name string e.g. 'codemyspec://session/<id>'
---@param lines string[]
---@param filetype string
---@return integer bufnr
function M.show(name, lines, filetype)
  local buf = vim.fn.bufnr('^' .. vim.fn.escape(name, '\\/.*$^~[]') .. '$')
  if buf == -1 then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, name)
    vim.bo[buf].bufhidden = 'hide'
    vim.bo[buf].swapfile = false
  end
  -- nofile before the filetype: language servers (ours too) attach only to real files.
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
  if vim.bo[buf].filetype ~= filetype then
    vim.bo[buf].filetype = filetype
  end
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd('botright split')
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  return buf
end

return M
